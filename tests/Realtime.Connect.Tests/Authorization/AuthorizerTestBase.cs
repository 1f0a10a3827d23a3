using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Realtime.Connect.Authorization;
using Realtime.Connect.Contract;
using Realtime.Testing;

namespace Realtime.Connect.Tests.Authorization;

/// <summary>
/// One issuer (a real loopback JWKS server publishing <see cref="TestKey.A"/>) and a clock fixed far from the real
/// one, so a test that passes proves the authorizer reads the injected TimeProvider.
/// </summary>
public abstract class AuthorizerTestBase : IAsyncLifetime
{
    public const string MethodArn = "arn:aws:execute-api:eu-west-1:123456789012:abc123defg/prod/$connect";
    public const string ConnectionId = "Zx1-abcDEF0=";

    protected static readonly DateTimeOffset Now = new(2031, 3, 1, 12, 0, 0, TimeSpan.Zero);

    protected JwksServer Server { get; private set; } = null!;
    protected FakeTimeProvider Clock { get; } = new(Now);
    protected RecordingLogger<AuthorizerFunction> Logger { get; } = new();
    protected RecordingLogger<JwksProvider> JwksLogger { get; } = new();
    private readonly HttpClient _httpClient = new();

    public async Task InitializeAsync() => Server = await JwksServer.StartAsync(TestKey.A).DefaultTimeout();

    public async Task DisposeAsync()
    {
        _httpClient.Dispose();
        await Server.DisposeAsync();
    }

    protected AuthorizerOptions Options(string? tokenUse = null, bool allowAnonymous = false, params string[] audiences) => new()
    {
        Issuer = Server.Issuer,
        Audiences = audiences.Length > 0 ? audiences : [TestTokens.Audience],
        TokenUse = tokenUse,
        AllowAnonymous = allowAnonymous,
    };

    protected AuthorizerFunction Function(AuthorizerOptions? options = null) => Function(options ?? Options(), out _);

    protected AuthorizerFunction Function(AuthorizerOptions options, out JwksProvider keys)
    {
        keys = new JwksProvider(options, _httpClient, Clock, JwksLogger);
        return new AuthorizerFunction(options, keys, Clock, Logger);
    }

    protected JsonObject Claims() => TestTokens.Claims(Server.Issuer, Now);

    protected string ValidToken() => TestTokens.Rs256(TestKey.A, Claims());

    /// <summary>A valid token minted at the clock's present time, for tests that move the clock past <see cref="ValidToken"/>'s hour.</summary>
    protected string ValidTokenNow(TestKey? key = null) => TestTokens.Rs256(key ?? TestKey.A, TestTokens.Claims(Server.Issuer, Clock.GetUtcNow()));

    protected static AuthorizerEvent EventWithQueryToken(string? token) => Event(query: token is null ? null : new Dictionary<string, string> { ["token"] = token });

    protected static AuthorizerEvent Event(Dictionary<string, string>? query = null, Dictionary<string, string>? headers = null) => new()
    {
        Type = "REQUEST",
        MethodArn = MethodArn,
        Headers = headers ?? new Dictionary<string, string>
        {
            ["Connection"] = "upgrade",
            ["content-length"] = "0",
            ["Host"] = "abc123defg.execute-api.eu-west-1.amazonaws.com",
            ["Sec-WebSocket-Key"] = "dGhlIHNhbXBsZSBub25jZQ==",
            ["Sec-WebSocket-Version"] = "13",
            ["Upgrade"] = "websocket",
        },
        QueryStringParameters = query,
        RequestContext = new WebSocketRequestContext
        {
            RouteKey = "$connect",
            EventType = WebSocketEventType.Connect,
            ConnectionId = ConnectionId,
            Stage = "prod",
            ApiId = "abc123defg",
            DomainName = "abc123defg.execute-api.eu-west-1.amazonaws.com",
            RequestId = "Zx1-aFkVjoEFhSw=",
        },
    };

    protected static void AssertPolicy(AuthorizerResult result, string effect)
    {
        var statement = Assert.Single(result.PolicyDocument!.Statement);
        Assert.Equal(effect, statement.Effect);
        Assert.Equal(["execute-api:Invoke"], statement.Action);
        Assert.Equal([MethodArn], statement.Resource);
        Assert.Equal("2012-10-17", result.PolicyDocument.Version);
    }

    /// <summary>Asserts a Deny and that it was logged for <paramref name="reason"/>, without the token in any log line.</summary>
    protected void AssertDenied(AuthorizerResult result, string reason, string token)
    {
        AssertPolicy(result, "Deny");
        Assert.Equal(AuthorizerContextKeys.DeniedPrincipal, result.PrincipalId);
        Assert.Null(result.Context);
        var denial = Assert.Single(Logger.Named("TokenDenied"));
        Assert.Equal(reason, denial.Values["Reason"]);
        Assert.Equal(ConnectionId, denial.Values["ConnectionId"]);
        Assert.DoesNotContain(Logger.Entries.Concat(JwksLogger.Entries), entry => entry.Message.Contains(token, StringComparison.Ordinal));
    }

    protected static string? ContextValue(AuthorizerResult result, string key) =>
        result.Context is { } context && context.TryGetValue(key, out var value) ? value.GetString() : null;
}
