using Microsoft.Extensions.Time.Testing;
using Realtime.Connect.Registry;
using Realtime.Testing;
using Realtime.Testing.Functions;

namespace Realtime.Router.Tests.Routes;

/// <summary>What bounds one client's cost: its subscriptions, and the messages it and its user send per second.</summary>
public sealed class ClientLimitsTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());

    [Fact]
    public async Task A_subscription_past_the_limit_is_answered_too_many_subscriptions()
    {
        using var router = new RouterHarness(new InMemoryConnectionRegistry(new RegistryOptions { MaxSubscriptionsPerConnection = 2 }, TimeProvider.System));
        await router.ConnectAsync("a=", "alice").DefaultTimeout();

        foreach (var room in new[] { "one", "two", "three" })
        {
            await router.SendAsync("a=", "alice", $$"""{"action":"subscribe","topic":"room:{{room}}","id":"{{room}}"}""").DefaultTimeout();
        }

        var answers = router.Connections.ReceivedBy("a=");
        Assert.Equal("""{"type":"ack","id":"one"}""", answers[0]);
        Assert.Equal("""{"type":"ack","id":"two"}""", answers[1]);
        Assert.Contains("\"code\":\"too_many_subscriptions\"", answers[2]);
        Assert.False(await router.Registry.IsSubscribedAsync("a=", "room:three", CancellationToken.None).DefaultTimeout());
    }

    [Fact]
    public async Task Messages_past_a_connections_rate_are_answered_rate_limited_and_dropped_until_the_next_second()
    {
        var time = new FakeTimeProvider(Start);
        using var router = new RouterHarness(new InMemoryConnectionRegistry(new RegistryOptions(), time), rateLimit: new MessageRateLimit(PerConnection: 2, PerUser: 0));
        await ConnectAsync(router, time, "a=", "alice");

        for (var i = 0; i < 3; i++) await router.SendAsync("a=", "alice", $$"""{"action":"ping","id":"{{i}}"}""").DefaultTimeout();
        time.Advance(TimeSpan.FromSeconds(1));
        await router.SendAsync("a=", "alice", """{"action":"ping","id":"later"}""").DefaultTimeout();

        var answers = router.Connections.ReceivedBy("a=");
        Assert.Equal(4, answers.Count);
        Assert.Equal("""{"type":"pong","id":"0"}""", answers[0]);
        Assert.Equal("""{"type":"pong","id":"1"}""", answers[1]);
        Assert.Contains("\"code\":\"rate_limited\"", answers[2]);
        Assert.Contains("\"id\":\"2\"", answers[2]);
        Assert.Equal("""{"type":"pong","id":"later"}""", answers[3]);
    }

    [Fact]
    public async Task A_chat_message_past_the_users_rate_reaches_no_one()
    {
        var time = new FakeTimeProvider(Start);
        using var router = new RouterHarness(new InMemoryConnectionRegistry(new RegistryOptions(), time), rateLimit: new MessageRateLimit(PerConnection: 10, PerUser: 2));
        foreach (var (id, user) in new[] { ("a1=", "alice"), ("a2=", "alice"), ("b=", "bob") })
        {
            await ConnectAsync(router, time, id, user);
            await router.Registry.SubscribeAsync(id, "room:lobby", CancellationToken.None).DefaultTimeout();
        }

        await router.SendAsync("a1=", "alice", """{"action":"send","topic":"room:lobby","data":{"n":1}}""").DefaultTimeout();
        await router.SendAsync("a2=", "alice", """{"action":"send","topic":"room:lobby","data":{"n":2}}""").DefaultTimeout();
        await router.SendAsync("a2=", "alice", """{"action":"send","topic":"room:lobby","data":{"n":3}}""").DefaultTimeout();

        var bobSaw = router.Connections.ReceivedBy("b=");
        Assert.Equal(2, bobSaw.Count);
        Assert.DoesNotContain(bobSaw, frame => frame.Contains("\"n\":3", StringComparison.Ordinal));
        Assert.Contains(router.Connections.ReceivedBy("a2="), frame => frame.Contains("\"code\":\"rate_limited\"", StringComparison.Ordinal));
    }

    private static Task ConnectAsync(RouterHarness router, TimeProvider time, string id, string user) =>
        router.Registry.AddAsync(new Connection(id, user, time.GetUtcNow(), ProxyEvents.DomainName, ProxyEvents.Stage, null), CancellationToken.None).DefaultTimeout();
}
