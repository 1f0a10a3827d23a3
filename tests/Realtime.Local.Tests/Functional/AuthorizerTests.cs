using Realtime.Local.Tests.Infrastructure;

namespace Realtime.Local.Tests.Functional;

/// <summary>The REQUEST authorizer on $connect: statuses, the policy resource, and the context replayed on later events.</summary>
public sealed class AuthorizerTests(AuthorizerTemplateFixture fixture) : IClassFixture<AuthorizerTemplateFixture>
{
    private Task<RecordedEvent> AuthorizerEventAsync(string marker) =>
        fixture.Recorder.WaitAsync(e => e.Function == "AuthorizerFunction" && Handlers.Lambda.Query(e.Root, "marker") == marker).DefaultTimeout();

    [Fact]
    public async Task A_missing_identity_source_is_401_without_calling_the_authorizer()
    {
        Assert.Equal(401, await fixture.RejectedStatusAsync("marker=no-token"));

        Assert.Empty(fixture.Recorder.All(e => e.Function == "AuthorizerFunction" && Handlers.Lambda.Query(e.Root, "marker") == "no-token"));
        Assert.Empty(fixture.Recorder.All(e => e.Function == "RecordingFunction" && e.EventType == "CONNECT" && Handlers.Lambda.Query(e.Root, "marker") == "no-token"));
    }

    [Fact]
    public async Task An_empty_identity_source_is_401()
    {
        Assert.Equal(401, await fixture.RejectedStatusAsync("token=&marker=empty-token"));
    }

    [Theory]
    [InlineData("deny", 403)]
    [InlineData("wrong-resource", 403)]
    [InlineData("unauthorized", 401)]
    [InlineData("error", 500)]
    [InlineData("malformed", 500)]
    [InlineData("object-context", 500)]
    [InlineData("no-principal", 500)]
    [InlineData("too-large", 500)]
    public async Task The_authorizer_result_decides_the_handshake_status(string token, int status)
    {
        Assert.Equal(status, await fixture.RejectedStatusAsync($"token={token}&marker=status-{token}"));

        await AuthorizerEventAsync($"status-{token}");
        Assert.Empty(fixture.Recorder.All(e => e.Function == "RecordingFunction" && e.EventType == "CONNECT" && Handlers.Lambda.Query(e.Root, "marker") == $"status-{token}"));
    }

    [Fact]
    public async Task A_policy_on_a_wildcard_resource_that_covers_connect_allows()
    {
        using var socket = await fixture.ConnectAsync("token=wildcard&marker=wildcard");
        var connect = await fixture.ConnectEventAsync("wildcard");

        Assert.Equal("u2", connect.Context.GetProperty("authorizer").GetProperty("userId").GetString());
    }

    [Fact]
    public async Task The_authorizer_event_is_a_request_event_for_the_connect_method()
    {
        using var socket = await fixture.ConnectAsync("token=allow&marker=authorizer-shape");
        var authorizer = await AuthorizerEventAsync("authorizer-shape");
        var root = authorizer.Root;

        Assert.Equal("REQUEST", root.GetProperty("type").GetString());
        Assert.Equal($"arn:aws:execute-api:us-east-1:000000000000:{root.GetProperty("requestContext").GetProperty("apiId").GetString()}/local/$connect", root.GetProperty("methodArn").GetString());
        var headers = root.GetProperty("headers");
        Assert.Equal("Upgrade", headers.GetProperty("Connection").GetString());
        Assert.Equal("websocket", headers.GetProperty("Upgrade").GetString());
        Assert.Equal("0", headers.GetProperty("content-length").GetString());
        Assert.Equal("{}", root.GetProperty("stageVariables").GetRawText());
        Assert.Equal("allow", root.GetProperty("queryStringParameters").GetProperty("token").GetString());
        Assert.Equal("CONNECT", root.GetProperty("requestContext").GetProperty("eventType").GetString());
        Assert.False(root.GetProperty("requestContext").TryGetProperty("authorizer", out _));
    }

    [Fact]
    public async Task Connect_gets_the_stringified_context_with_the_integration_latency()
    {
        using var socket = await fixture.ConnectAsync("token=allow&marker=connect-context");
        var connect = await fixture.ConnectEventAsync("connect-context");
        var authorizer = connect.Context.GetProperty("authorizer");

        Assert.Equal(["admin", "count", "integrationLatency", "nothing", "principalId", "userId"], authorizer.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("user-1", authorizer.GetProperty("principalId").GetString());
        Assert.Equal("u1", authorizer.GetProperty("userId").GetString());
        Assert.Equal("3", authorizer.GetProperty("count").GetString());
        Assert.Equal("true", authorizer.GetProperty("admin").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, authorizer.GetProperty("nothing").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Number, authorizer.GetProperty("integrationLatency").ValueKind);
    }

    [Fact]
    public async Task Later_events_replay_the_context_without_the_latency_and_the_authorizer_runs_once()
    {
        using var socket = await fixture.ConnectAsync("token=allow&marker=replay");
        var id = (await fixture.ConnectEventAsync("replay")).ConnectionId!;

        await socket.SendTextAsync("""{"action":"anything"}""");
        var message = await fixture.Recorder.WaitAsync(id, "MESSAGE").DefaultTimeout();
        await socket.CloseAsync(1000, "");
        var disconnect = await fixture.Recorder.WaitAsync(id, "DISCONNECT").DefaultTimeout();

        const string replayed = """{"principalId":"user-1","userId":"u1","count":"3","admin":"true","nothing":null}""";
        Assert.Equal(replayed, message.Context.GetProperty("authorizer").GetRawText());
        Assert.Equal(replayed, disconnect.Context.GetProperty("authorizer").GetRawText());
        Assert.Single(fixture.Recorder.All(e => e.Function == "AuthorizerFunction" && Handlers.Lambda.Query(e.Root, "marker") == "replay"));
    }

    [Fact]
    public async Task The_authorizer_runs_on_every_connect()
    {
        using (await fixture.ConnectAsync("token=allow&marker=every")) { }
        using (await fixture.ConnectAsync("token=allow&marker=every")) { }

        await fixture.Recorder.WaitAsync(e => fixture.Recorder.All(a => a.Function == "AuthorizerFunction" && Handlers.Lambda.Query(a.Root, "marker") == "every").Count == 2).DefaultTimeout();
    }
}
