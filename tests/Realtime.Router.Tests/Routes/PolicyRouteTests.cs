using Realtime.Connect.Registry;
using Realtime.Router.Policy;
using Realtime.Testing;

namespace Realtime.Router.Tests.Routes;

/// <summary>The topic policy, enforced by the server on every subscribe (and who), whatever the client claims.</summary>
public sealed class PolicyRouteTests : IDisposable
{
    private readonly RouterHarness _router = new();

    [Fact]
    public async Task AUserMaySubscribeToTheirOwnUserTopic()
    {
        await _router.ConnectAsync("a=", "alice").DefaultTimeout();

        await _router.SendAsync("a=", "alice", """{"action":"subscribe","topic":"user:alice","id":"1"}""").DefaultTimeout();

        Assert.Equal("ack", _router.Connections.Single("a=").GetProperty("type").GetString());
    }

    [Fact]
    public async Task AUserMayNotSubscribeToAnotherUsersTopic()
    {
        await _router.ConnectAsync("a=", "alice").DefaultTimeout();

        await _router.SendAsync("a=", "alice", """{"action":"subscribe","topic":"user:bob","id":"1"}""").DefaultTimeout();

        var answer = _router.Connections.Single("a=");
        Assert.Equal("forbidden", answer.GetProperty("code").GetString());
        Assert.Equal("1", answer.GetProperty("id").GetString());
        Assert.Empty((await _router.Registry.ListTopicAsync("user:bob", PageRequest.First(), CancellationToken.None).DefaultTimeout()).Items);
    }

    [Theory]
    [InlineData("wishlist:42")]
    [InlineData("room:lobby")]
    [InlineData("user:anonymous")]
    public async Task AnonymousConnectionsAreRefusedByTheDefaultPolicy(string topic)
    {
        await _router.ConnectAsync("anon=", null).DefaultTimeout();

        await _router.SendAsync("anon=", null, $$"""{"action":"subscribe","topic":"{{topic}}"}""").DefaultTimeout();

        Assert.Equal("forbidden", _router.Connections.Single("anon=").GetProperty("code").GetString());
    }

    [Fact]
    public async Task TopicsNoRuleMatchesAreForbidden()
    {
        await _router.ConnectAsync("a=", "alice").DefaultTimeout();

        await _router.SendAsync("a=", "alice", """{"action":"subscribe","topic":"admin:secrets"}""").DefaultTimeout();

        Assert.Equal("forbidden", _router.Connections.Single("a=").GetProperty("code").GetString());
    }

    [Fact]
    public async Task AConfiguredPolicyReplacesTheDefault()
    {
        using var router = new RouterHarness(policy: TopicPolicy.Parse("""[{"pattern":"public:*","subscribe":true,"anonymous":true}]"""));
        await router.ConnectAsync("anon=", null).DefaultTimeout();
        await router.ConnectAsync("a=", "alice").DefaultTimeout();

        await router.SendAsync("anon=", null, """{"action":"subscribe","topic":"public:news"}""").DefaultTimeout();
        await router.SendAsync("a=", "alice", """{"action":"subscribe","topic":"room:lobby"}""").DefaultTimeout();

        Assert.Equal("ack", router.Connections.Single("anon=").GetProperty("type").GetString());
        Assert.Equal("forbidden", router.Connections.Single("a=").GetProperty("code").GetString());
    }

    public void Dispose() => _router.Dispose();
}
