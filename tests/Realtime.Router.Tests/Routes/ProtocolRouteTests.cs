using Realtime.Connect.Registry;
using Realtime.Testing;
using Realtime.Testing.Functions;

namespace Realtime.Router.Tests.Routes;

/// <summary>ping, subscribe, unsubscribe and $default as a client sees them: answers posted back to the sender.</summary>
public sealed class ProtocolRouteTests : IDisposable
{
    private readonly RouterHarness _router = new();

    [Fact]
    public async Task PingIsAnsweredWithPongCarryingTheId()
    {
        await _router.SendAsync("a=", "alice", """{"action":"ping","id":"1"}""").DefaultTimeout();

        Assert.Equal(["""{"type":"pong","id":"1"}"""], _router.Connections.ReceivedBy("a="));
        Assert.Equal(new Uri($"https://{ProxyEvents.DomainName}/{ProxyEvents.Stage}"), Assert.Single(_router.Connections.Endpoints));
    }

    [Fact]
    public async Task NumericIdIsEchoedAsANumber()
    {
        await _router.SendAsync("a=", "alice", """{"action":"ping","id":42}""").DefaultTimeout();

        Assert.Equal(["""{"type":"pong","id":42}"""], _router.Connections.ReceivedBy("a="));
    }

    [Theory]
    [InlineData("""{"action":"dance","id":"7"}""", "Unknown action \"dance\"")]
    [InlineData("""{"id":"7"}""", "no \"action\"")]
    [InlineData("hello", "JSON objects")]
    [InlineData("[1,2]", "JSON objects")]
    public async Task AnythingElseIsAnUnknownActionError(string body, string explanation)
    {
        await _router.SendAsync("a=", "alice", body).DefaultTimeout();

        var answer = _router.Connections.Single("a=");
        Assert.Equal("error", answer.GetProperty("type").GetString());
        Assert.Equal("unknown_action", answer.GetProperty("code").GetString());
        Assert.Contains(explanation, answer.GetProperty("message").GetString());
        if (body.StartsWith('{')) Assert.Equal("7", answer.GetProperty("id").GetString());
    }

    [Fact]
    public async Task SubscribeRecordsTheSubscriptionAndAcks()
    {
        await _router.ConnectAsync("a=", "alice").DefaultTimeout();

        await _router.SendAsync("a=", "alice", """{"action":"subscribe","topic":"room:lobby","id":"2"}""").DefaultTimeout();

        Assert.Equal(["""{"type":"ack","id":"2"}"""], _router.Connections.ReceivedBy("a="));
        Assert.Equal("a=", Assert.Single((await _router.Registry.ListTopicAsync("room:lobby", PageRequest.First(), CancellationToken.None).DefaultTimeout()).Items).ConnectionId);
    }

    [Theory]
    [InlineData("""{"action":"subscribe","id":"2"}""")]
    [InlineData("""{"action":"subscribe","topic":"","id":"2"}""")]
    [InlineData("""{"action":"subscribe","topic":"room:a#b","id":"2"}""")]
    [InlineData("""{"action":"subscribe","topic":"room:*","id":"2"}""")]
    [InlineData("""{"action":"subscribe","topic":"room:a b","id":"2"}""")]
    [InlineData("""{"action":"subscribe","topic":"room:{sub}","id":"2"}""")]
    [InlineData("""{"action":"subscribe","topic":42,"id":"2"}""")]
    public async Task InvalidTopicNamesAreBadRequests(string body)
    {
        await _router.ConnectAsync("a=", "alice").DefaultTimeout();

        await _router.SendAsync("a=", "alice", body).DefaultTimeout();

        var answer = _router.Connections.Single("a=");
        Assert.Equal("bad_request", answer.GetProperty("code").GetString());
        Assert.Equal("2", answer.GetProperty("id").GetString());
    }

    [Fact]
    public async Task OverlongTopicIsABadRequest()
    {
        await _router.ConnectAsync("a=", "alice").DefaultTimeout();

        await _router.SendAsync("a=", "alice", $$"""{"action":"subscribe","topic":"room:{{new string('x', 124)}}"}""").DefaultTimeout();

        Assert.Equal("bad_request", _router.Connections.Single("a=").GetProperty("code").GetString());
    }

    [Fact]
    public async Task SubscribingFromAnUnrecordedConnectionSaysSo()
    {
        await _router.SendAsync("ghost=", "alice", """{"action":"subscribe","topic":"room:lobby","id":"9"}""").DefaultTimeout();

        Assert.Equal("unknown_connection", _router.Connections.Single("ghost=").GetProperty("code").GetString());
    }

    [Fact]
    public async Task UnsubscribeEndsTheSubscriptionAndAcks()
    {
        await _router.ConnectAsync("a=", "alice").DefaultTimeout();
        await _router.SendAsync("a=", "alice", """{"action":"subscribe","topic":"room:lobby"}""").DefaultTimeout();

        await _router.SendAsync("a=", "alice", """{"action":"unsubscribe","topic":"room:lobby","id":"3"}""").DefaultTimeout();

        Assert.Equal("""{"type":"ack","id":"3"}""", _router.Connections.ReceivedBy("a=")[^1]);
        Assert.Empty((await _router.Registry.ListTopicAsync("room:lobby", PageRequest.First(), CancellationToken.None).DefaultTimeout()).Items);
    }

    [Fact]
    public async Task AConnectionIdInTheBodyChangesNothing()
    {
        await _router.ConnectAsync("victim=", "bob").DefaultTimeout();
        await _router.ConnectAsync("mallory=", "mallory").DefaultTimeout();
        await _router.SendAsync("victim=", "bob", """{"action":"subscribe","topic":"room:lobby"}""").DefaultTimeout();

        await _router.SendAsync("mallory=", "mallory", """{"action":"unsubscribe","topic":"room:lobby","connectionId":"victim=","requestContext":{"connectionId":"victim="}}""").DefaultTimeout();
        await _router.SendAsync("mallory=", "mallory", """{"action":"subscribe","topic":"user:bob","connectionId":"victim=","from":"bob","userId":"bob"}""").DefaultTimeout();

        Assert.Equal("victim=", Assert.Single((await _router.Registry.ListTopicAsync("room:lobby", PageRequest.First(), CancellationToken.None).DefaultTimeout()).Items).ConnectionId);
        Assert.Empty((await _router.Registry.ListTopicAsync("user:bob", PageRequest.First(), CancellationToken.None).DefaultTimeout()).Items);
        Assert.Equal("forbidden", JsonLast("mallory=").GetProperty("code").GetString());
        Assert.Single(_router.Connections.ReceivedBy("victim="));
    }

    [Fact]
    public async Task EventWithoutDomainNameIsRefused()
    {
        var message = ProxyEvents.Message("a=", """{"action":"ping"}""", "alice", "ping");

        var response = await ProxyEvents.InvokeAsync(_router.Function.FunctionHandler, message with { RequestContext = message.RequestContext with { DomainName = null } });

        Assert.Equal(400, response.StatusCode);
        Assert.Empty(_router.Connections.ReceivedBy("a="));
    }

    private System.Text.Json.JsonElement JsonLast(string connectionId) =>
        System.Text.Json.JsonDocument.Parse(_router.Connections.ReceivedBy(connectionId)[^1]).RootElement;

    public void Dispose() => _router.Dispose();
}
