using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Realtime.Connect.Registry;
using Realtime.Router.FanOut;
using Realtime.Testing;

namespace Realtime.Router.Tests.Routes;

public sealed class SendRouteTests : IDisposable
{
    private readonly RouterHarness _router = new();

    [Fact]
    public async Task EverySubscriberGetsTheMessageOnceThenTheSenderGetsTheAck()
    {
        await JoinAsync("a=", "alice", "room:lobby");
        await JoinAsync("b=", "bob", "room:lobby");
        await JoinAsync("c=", "carol", "room:elsewhere");

        await _router.SendAsync("a=", "alice", """{"action":"send","topic":"room:lobby","data":{"text":"hi"},"id":"4","from":"mallory"}""").DefaultTimeout();

        var toBob = _router.Connections.Single("b=");
        Assert.Equal("message", toBob.GetProperty("type").GetString());
        Assert.Equal("room:lobby", toBob.GetProperty("topic").GetString());
        Assert.Equal("alice", toBob.GetProperty("from").GetString());
        Assert.Equal("""{"text":"hi"}""", toBob.GetProperty("data").GetRawText());
        Assert.InRange(toBob.GetProperty("sentAt").GetInt64(), DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var messageId = toBob.GetProperty("messageId").GetString();
        Assert.Matches("^[0-9a-f]{32}$", messageId);

        var toAlice = _router.Connections.ReceivedBy("a=").Select(m => JsonDocument.Parse(m).RootElement).ToList();
        Assert.Equal(["message", "ack"], toAlice.Select(m => m.GetProperty("type").GetString()));
        Assert.Equal(messageId, toAlice[0].GetProperty("messageId").GetString());
        Assert.Equal(messageId, toAlice[1].GetProperty("messageId").GetString());
        Assert.Equal("4", toAlice[1].GetProperty("id").GetString());
        Assert.Empty(_router.Connections.ReceivedBy("c="));
    }

    [Fact]
    public async Task ARoomLargerThanOneInvocationServesIsAckedAsQueuedThenReachesEveryMemberOnceThroughTheShardQueue()
    {
        using var router = new RouterHarness(fanOut: new FanOutOptions { DirectAudience = 3, ShardSize = 2, SplitWidth = 2 });
        var members = new[] { "a=", "b=", "c=", "d=", "e=" };
        foreach (var member in members)
        {
            await router.ConnectAsync(member, member.TrimEnd('='));
            await router.Registry.SubscribeAsync(member, "room:big", CancellationToken.None).DefaultTimeout();
        }

        await router.SendAsync("a=", "a", """{"action":"send","topic":"room:big","data":{"text":"hi all"},"id":"9"}""").DefaultTimeout();
        var ack = JsonDocument.Parse(router.Connections.ReceivedBy("a=").Single()).RootElement;
        var messageId = ack.GetProperty("messageId").GetString();
        Assert.Equal("ack", ack.GetProperty("type").GetString());
        Assert.True(ack.GetProperty("queued").GetBoolean());
        Assert.All(members[1..], m => Assert.Empty(router.Connections.ReceivedBy(m)));

        var queue = router.Services.GetRequiredService<InProcessShardQueue>();
        while (queue.Reader.TryRead(out var shard))
        {
            if (shard.Range.IsOpen) await router.Services.GetRequiredService<ShardPlanner>().SplitAsync(shard, CancellationToken.None).DefaultTimeout();
            else await router.Services.GetRequiredService<ShardWorker>().PostAsync(shard, null, CancellationToken.None).DefaultTimeout();
        }

        foreach (var member in members)
        {
            var message = JsonDocument.Parse(router.Connections.ReceivedBy(member).Where(m => m.Contains("\"type\":\"message\"", StringComparison.Ordinal)).Single()).RootElement;
            Assert.Equal(messageId, message.GetProperty("messageId").GetString());
            Assert.Equal("a", message.GetProperty("from").GetString());
        }
    }

    [Fact]
    public async Task ASmallRoomIsAckedAfterDeliveryWithoutQueued()
    {
        await JoinAsync("a=", "alice", "room:small");

        await _router.SendAsync("a=", "alice", """{"action":"send","topic":"room:small","data":{"text":"hi"},"id":"5"}""").DefaultTimeout();

        var ack = JsonDocument.Parse(_router.Connections.ReceivedBy("a=")[^1]).RootElement;
        Assert.Equal("ack", ack.GetProperty("type").GetString());
        Assert.False(ack.TryGetProperty("queued", out _));
    }

    [Fact]
    public async Task SendingWhereThePolicyForbidsReachesNobody()
    {
        await JoinAsync("a=", "alice", "wishlist:42");
        await JoinAsync("b=", "bob", "wishlist:42");

        await _router.SendAsync("a=", "alice", """{"action":"send","topic":"wishlist:42","data":{"fake":"item_added"},"id":"x"}""").DefaultTimeout();

        Assert.Equal("forbidden", JsonDocument.Parse(_router.Connections.ReceivedBy("a=")[^1]).RootElement.GetProperty("code").GetString());
        Assert.Empty(_router.Connections.ReceivedBy("b="));
    }

    [Fact]
    public async Task SendingWithoutDataIsABadRequest()
    {
        await JoinAsync("a=", "alice", "room:lobby");

        await _router.SendAsync("a=", "alice", """{"action":"send","topic":"room:lobby","id":"x"}""").DefaultTimeout();

        Assert.Equal("bad_request", _router.Connections.Single("a=").GetProperty("code").GetString());
    }

    [Fact]
    public async Task AMessageTooLargeToDeliverIsRefused()
    {
        await JoinAsync("a=", "alice", "room:lobby");
        await JoinAsync("b=", "bob", "room:lobby");

        await _router.SendAsync("a=", "alice", $$"""{"action":"send","topic":"room:lobby","data":"{{new string('x', 131_000)}}"}""").DefaultTimeout();

        Assert.Equal("too_large", _router.Connections.Single("a=").GetProperty("code").GetString());
        Assert.Empty(_router.Connections.ReceivedBy("b="));
    }

    [Fact]
    public async Task GoneSubscribersAreRemovedFromTheRegistry()
    {
        await JoinAsync("a=", "alice", "room:lobby");
        await JoinAsync("gone=", "bob", "room:lobby");
        _router.Connections.Gone["gone="] = true;

        await _router.SendAsync("a=", "alice", """{"action":"send","topic":"room:lobby","data":1}""").DefaultTimeout();

        Assert.Null(await _router.Registry.GetAsync("gone=", CancellationToken.None).DefaultTimeout());
        Assert.Equal("a=", Assert.Single((await _router.Registry.ListTopicAsync("room:lobby", PageRequest.First(), CancellationToken.None).DefaultTimeout()).Items).ConnectionId);
    }

    private async Task JoinAsync(string connectionId, string user, string topic)
    {
        await _router.ConnectAsync(connectionId, user).DefaultTimeout();
        await _router.Registry.SubscribeAsync(connectionId, topic, CancellationToken.None).DefaultTimeout();
    }

    public void Dispose() => _router.Dispose();
}
