using Realtime.Connect.Functions;
using Realtime.Connect.Registry;
using Realtime.Testing;
using Realtime.Testing.Functions;

namespace Realtime.Connect.Tests.Functions;

public sealed class ConnectFunctionTests : IDisposable
{
    private readonly InMemoryConnectionRegistry _registry = new();
    private readonly CapturedLog _log = new();

    [Fact]
    public async Task RecordsTheConnectionForTheAuthorizersPrincipal()
    {
        var function = new ConnectFunction(_registry, logger: _log.For<ConnectFunction>());

        var response = await ProxyEvents.InvokeAsync(function.FunctionHandler, ProxyEvents.Connect("QrStUvWxYzAbCdE=", principalId: "alice"));

        Assert.Equal(200, response.StatusCode);
        Assert.Null(response.Headers);
        var connection = await _registry.GetAsync("QrStUvWxYzAbCdE=", CancellationToken.None).DefaultTimeout();
        Assert.Equal(
            new Connection("QrStUvWxYzAbCdE=", "alice", DateTimeOffset.FromUnixTimeMilliseconds(ProxyEvents.ConnectedAt), ProxyEvents.DomainName, ProxyEvents.Stage, "203.0.113.10"),
            connection);
        Assert.Equal("alice", _log.Single("Connected").GetProperty("UserId").GetString());
    }

    [Fact]
    public async Task WithoutAnAuthorizerTheConnectionHasNoUser()
    {
        var function = new ConnectFunction(_registry);

        await ProxyEvents.InvokeAsync(function.FunctionHandler, ProxyEvents.Connect("anon="));

        Assert.Null((await _registry.GetAsync("anon=", CancellationToken.None).DefaultTimeout())!.UserId);
    }

    [Fact]
    public async Task AnAnonymousPrincipalIsNotAUser()
    {
        var function = new ConnectFunction(_registry);
        var connect = ProxyEvents.Connect("anon2=");
        var anonymous = new Realtime.Connect.Contract.AuthorizerContext
        {
            PrincipalId = "anonymous:anon2=",
            Values = new Dictionary<string, string?> { ["anonymous"] = "true" },
        };

        await ProxyEvents.InvokeAsync(function.FunctionHandler, connect with { RequestContext = connect.RequestContext with { Authorizer = anonymous } });

        Assert.Null((await _registry.GetAsync("anon2=", CancellationToken.None).DefaultTimeout())!.UserId);
    }

    [Fact]
    public async Task ReturnsExactlyOneSupportedSubprotocolTheClientOffered()
    {
        var function = new ConnectFunction(_registry, new ConnectOptions { Subprotocols = ["realtime.v2", "realtime.v1"] });
        var headers = new Dictionary<string, string> { ["sec-websocket-protocol"] = "graphql-ws, realtime.v1, realtime.v2" };

        var response = await ProxyEvents.InvokeAsync(function.FunctionHandler, ProxyEvents.Connect("p=", headers: headers));

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(new Dictionary<string, string> { ["Sec-WebSocket-Protocol"] = "realtime.v2" }, response.Headers);
        Assert.Null(response.MultiValueHeaders);
    }

    [Fact]
    public async Task RefusesAClientThatOffersOnlyUnsupportedSubprotocols()
    {
        var function = new ConnectFunction(_registry, new ConnectOptions { Subprotocols = ["realtime.v1"] }, _log.For<ConnectFunction>());
        var headers = new Dictionary<string, string> { ["Sec-WebSocket-Protocol"] = "graphql-ws" };

        var response = await ProxyEvents.InvokeAsync(function.FunctionHandler, ProxyEvents.Connect("q=", headers: headers));

        Assert.Equal(400, response.StatusCode);
        Assert.Null(await _registry.GetAsync("q=", CancellationToken.None).DefaultTimeout());
        _log.Single("NoCommonSubprotocol");
    }

    [Fact]
    public async Task ARefusedSubprotocolIsLoggedByCountAndLengthNeverByText()
    {
        // Browsers cannot set headers on a WebSocket, so clients often send their token as a subprotocol.
        const string token = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImtleS1hIn0.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ";
        var function = new ConnectFunction(_registry, new ConnectOptions { Subprotocols = ["realtime.v1"] }, _log.For<ConnectFunction>());
        var headers = new Dictionary<string, string> { ["Sec-WebSocket-Protocol"] = "bearer, " + token };

        var response = await ProxyEvents.InvokeAsync(function.FunctionHandler, ProxyEvents.Connect("t=", headers: headers));

        Assert.Equal(400, response.StatusCode);
        var refusal = _log.Single("NoCommonSubprotocol");
        Assert.Equal(2, refusal.GetProperty("OfferedCount").GetInt32());
        Assert.Equal("bearer".Length + token.Length, refusal.GetProperty("OfferedLength").GetInt32());
        Assert.DoesNotContain(_log.Lines, line => line.GetRawText().Contains(token[..20], StringComparison.Ordinal));
        Assert.DoesNotContain(_log.Lines, line => line.GetRawText().Contains("bearer", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RepeatedConnectSucceedsAndKeepsTheFirstRecord()
    {
        var function = new ConnectFunction(_registry, logger: _log.For<ConnectFunction>());
        await ProxyEvents.InvokeAsync(function.FunctionHandler, ProxyEvents.Connect("r=", principalId: "alice"));

        var response = await ProxyEvents.InvokeAsync(function.FunctionHandler, ProxyEvents.Connect("r=", principalId: "mallory"));

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("alice", (await _registry.GetAsync("r=", CancellationToken.None).DefaultTimeout())!.UserId);
        _log.Single("AlreadyConnected");
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"requestContext": 5}""")]
    [InlineData("[]")]
    public async Task MalformedEventIsA400WithALoggedReason(string rawEvent)
    {
        var function = new ConnectFunction(_registry, logger: _log.For<ConnectFunction>());

        var response = await ProxyEvents.InvokeAsync(function.FunctionHandler, rawEvent);

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("Error", _log.Single("MalformedEvent").GetProperty("level").GetString());
    }

    [Fact]
    public async Task EventWithoutAConnectionIdIsA400()
    {
        var function = new ConnectFunction(_registry, logger: _log.For<ConnectFunction>());

        var response = await ProxyEvents.InvokeAsync(function.FunctionHandler, """{"requestContext":{"routeKey":"$connect","eventType":"CONNECT"}}""");

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("$connect", _log.Single("MissingConnectionId").GetProperty("RouteKey").GetString());
    }

    [Fact]
    public async Task EventWithoutDomainNameIsA400()
    {
        var function = new ConnectFunction(_registry, logger: _log.For<ConnectFunction>());
        var connect = ProxyEvents.Connect("d=");

        var response = await ProxyEvents.InvokeAsync(function.FunctionHandler, connect with { RequestContext = connect.RequestContext with { DomainName = null } });

        Assert.Equal(400, response.StatusCode);
        _log.Single("IncompleteConnect");
    }

    public void Dispose() => _log.Dispose();
}
