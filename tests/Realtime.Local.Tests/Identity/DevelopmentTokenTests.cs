using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Realtime.Connect.Authorization;
using Realtime.Connect.Contract;
using Realtime.Local.Identity;
using Realtime.Testing;

namespace Realtime.Local.Tests.Identity;

/// <summary>
/// Tokens minted over HTTP by the local host are checked by the very same AuthorizerFunction as on AWS, configured
/// the way the local host configures it: issuer <c>{baseUrl}/dev</c>, audience <c>realtime-local</c>, the host's JWKS.
/// </summary>
public sealed class DevelopmentTokenTests(DevelopmentTokenTests.HostFixture fixture) : IClassFixture<DevelopmentTokenTests.HostFixture>
{
    private const string MethodArn = "arn:aws:execute-api:local:000000000000:local/local/$connect";
    private const string ConnectionId = "LocalConn01=";

    private readonly DevelopmentTokenHost _host = fixture.Host;
    private readonly HttpClient _jwksClient = fixture.JwksClient;

    /// <summary>One host for the class: the tests only read from it, and each makes its own authorizer and key cache.</summary>
    public sealed class HostFixture : IAsyncLifetime
    {
        public DevelopmentTokenHost Host { get; private set; } = null!;
        public HttpClient JwksClient { get; } = new();

        public async Task InitializeAsync() => Host = await DevelopmentTokenHost.StartAsync().DefaultTimeout();

        public async Task DisposeAsync()
        {
            JwksClient.Dispose();
            await Host.DisposeAsync();
        }
    }

    [Fact]
    public async Task Token_minted_over_http_is_allowed_by_the_authorizer()
    {
        var minted = await MintAsync("""{"sub":"alice","username":"alice","groups":["admins"]}""");

        var result = await AuthorizeAsync(minted.Token);

        Assert.Equal(3600, minted.ExpiresIn);
        Assert.Equal("Allow", Assert.Single(result.PolicyDocument!.Statement).Effect);
        Assert.Equal([MethodArn], result.PolicyDocument.Statement[0].Resource);
        Assert.Equal("alice", result.PrincipalId);
        Assert.Equal("alice", result.Context!["userName"].GetString());
        Assert.Equal("admins", result.Context["groups"].GetString());
        Assert.Equal("false", result.Context["anonymous"].GetString());
    }

    [Fact]
    public async Task Token_minted_for_a_query_string_user_is_allowed_as_that_user()
    {
        using var response = await _host.Http.PostAsync("/dev/token?user=bob&groups=editors,viewers", content: null).DefaultTimeout();
        response.EnsureSuccessStatusCode();
        var minted = (await response.Content.ReadFromJsonAsync<DevelopmentTokenResponse>().DefaultTimeout())!;

        var result = await AuthorizeAsync(minted.Token);

        Assert.Equal("bob", result.PrincipalId);
        Assert.Equal("bob", result.Context!["userName"].GetString());
        Assert.Equal("editors,viewers", result.Context["groups"].GetString());
    }

    [Fact]
    public async Task Token_signed_by_another_key_under_the_same_issuer_is_denied()
    {
        using var impostor = new DevelopmentTokenIssuer(Options.Create(new DevelopmentTokenOptions { BaseUrl = _host.BaseUrl }), TimeProvider.System);
        var forged = impostor.Mint(new DevelopmentTokenRequest { Sub = "alice", Groups = ["admins"] });
        Assert.Equal(_host.Issuer.Issuer, new JsonWebToken(forged.Token).Issuer);

        var result = await AuthorizeAsync(forged.Token);

        Assert.Equal("Deny", Assert.Single(result.PolicyDocument!.Statement).Effect);
        Assert.Equal("denied", result.PrincipalId);
    }

    [Fact]
    public async Task Token_signed_by_another_key_that_claims_the_hosts_key_id_is_denied()
    {
        using var otherKey = RSA.Create(2048);
        var forged = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _host.Issuer.Issuer,
            Audience = DevelopmentTokenIssuer.Audience,
            Claims = new Dictionary<string, object> { ["sub"] = "alice", ["token_use"] = "id" },
            Expires = DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(otherKey) { KeyId = _host.Issuer.KeyId }, SecurityAlgorithms.RsaSha256),
        });

        var result = await AuthorizeAsync(forged);

        Assert.Equal("Deny", Assert.Single(result.PolicyDocument!.Statement).Effect);
    }

    [Fact]
    public async Task Token_is_a_cognito_shaped_RS256_id_token_from_the_hosts_dev_issuer()
    {
        var minted = await MintAsync("""{"sub":"u-42","username":"carol","expiresIn":120}""");

        var token = new JsonWebToken(minted.Token);

        Assert.Equal("RS256", token.Alg);
        Assert.Equal(_host.Issuer.KeyId, token.Kid);
        Assert.Equal(_host.BaseUrl + "/dev", token.Issuer);
        Assert.Equal(["realtime-local"], token.Audiences);
        Assert.Equal("u-42", token.Subject);
        Assert.Equal("carol", token.GetClaim("cognito:username").Value);
        Assert.Equal("id", token.GetClaim("token_use").Value);
        Assert.False(token.TryGetClaim("cognito:groups", out _));
        Assert.Equal(120, minted.ExpiresIn);
        Assert.Equal(TimeSpan.FromSeconds(120), token.ValidTo - token.IssuedAt);
    }

    [Fact]
    public async Task Jwks_publishes_only_the_public_signing_key()
    {
        using var jwks = JsonDocument.Parse(await _host.Http.GetStringAsync("/dev/.well-known/jwks.json").DefaultTimeout());

        var key = Assert.Single(jwks.RootElement.GetProperty("keys").EnumerateArray());
        Assert.Equal(["alg", "e", "kid", "kty", "n", "use"], key.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("RSA", key.GetProperty("kty").GetString());
        Assert.Equal("sig", key.GetProperty("use").GetString());
        Assert.Equal("RS256", key.GetProperty("alg").GetString());
        Assert.Equal(_host.Issuer.KeyId, key.GetProperty("kid").GetString());
    }

    [Fact]
    public async Task Options_from_the_issuer_configure_an_authorizer_that_accepts_its_tokens()
    {
        var options = _host.Issuer.CreateAuthorizerOptions();
        var function = new AuthorizerFunction(options, new JwksProvider(options, _jwksClient, TimeProvider.System, NullLogger<JwksProvider>.Instance));
        var minted = await MintAsync("""{"sub":"dave"}""");

        var result = await function.AuthorizeAsync(Event(minted.Token), default).DefaultTimeout();

        Assert.Equal("dave", result.PrincipalId);
        Assert.Equal(_host.BaseUrl + "/dev", options.Issuer);
        Assert.Equal(new Uri(_host.BaseUrl + "/dev/.well-known/jwks.json"), options.JwksUrl);
    }

    [Theory]
    [InlineData("{", "not a valid token request")]
    [InlineData("[]", "not a valid token request")]
    [InlineData("null", "must be a JSON object")]
    [InlineData("""{"username":"alice"}""", "\"sub\" (or ?user=) is required")]
    [InlineData("""{"sub":"  "}""", "\"sub\" (or ?user=) is required")]
    [InlineData("""{"sub":"alice","user":"alice"}""", "not a valid token request")]
    [InlineData("""{"sub":"alice","groups":["a,b"]}""", "without commas")]
    [InlineData("""{"sub":"alice","groups":"admins"}""", "not a valid token request")]
    [InlineData("""{"sub":"alice","expiresIn":0}""", "\"expiresIn\" must be between 1 and 86400 seconds")]
    [InlineData("""{"sub":"alice","expiresIn":86401}""", "\"expiresIn\" must be between 1 and 86400 seconds")]
    public async Task Bad_json_body_is_refused_with_a_clear_400(string body, string expected)
    {
        using var response = await _host.Http.PostAsync("/dev/token", new StringContent(body, Encoding.UTF8, "application/json")).DefaultTimeout();

        await AssertBadRequestAsync(response, expected);
    }

    [Theory]
    [InlineData("/dev/token", "", "Give the user as a JSON body")]
    [InlineData("/dev/token?user=", "", "\"sub\" (or ?user=) is required")]
    [InlineData("/dev/token?user=alice&expiresIn=soon", "", "whole number of seconds")]
    [InlineData("/dev/token?user=alice", """{"sub":"alice"}""", "not both")]
    public async Task Bad_query_is_refused_with_a_clear_400(string path, string body, string expected)
    {
        using var response = await _host.Http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json")).DefaultTimeout();

        await AssertBadRequestAsync(response, expected);
    }

    [Fact]
    public async Task Token_response_is_not_cached()
    {
        using var response = await _host.Http.PostAsync("/dev/token?user=erin", content: null).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<DevelopmentTokenResponse> MintAsync(string body)
    {
        using var response = await _host.Http.PostAsync("/dev/token", new StringContent(body, Encoding.UTF8, "application/json")).DefaultTimeout();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync().DefaultTimeout());
        Assert.Equal(["expiresIn", "token"], json.RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        return new DevelopmentTokenResponse(json.RootElement.GetProperty("token").GetString()!, json.RootElement.GetProperty("expiresIn").GetInt32());
    }

    /// <summary>The authorizer as the local host configures it, invoked through its Lambda entry point.</summary>
    private async Task<AuthorizerResult> AuthorizeAsync(string token)
    {
        var options = new AuthorizerOptions
        {
            Issuer = _host.BaseUrl + "/dev",
            Audiences = ["realtime-local"],
            JwksUrl = new Uri(_host.BaseUrl + "/dev/.well-known/jwks.json"),
        };
        var function = new AuthorizerFunction(options, new JwksProvider(options, _jwksClient, TimeProvider.System, NullLogger<JwksProvider>.Instance));

        var input = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(Event(token), ApiGatewayJsonContext.Default.AuthorizerEvent));
        await using var output = await function.FunctionHandler(input).DefaultTimeout();
        return (await JsonSerializer.DeserializeAsync(output, ApiGatewayJsonContext.Default.AuthorizerResult).DefaultTimeout())!;
    }

    private static AuthorizerEvent Event(string token) => new()
    {
        MethodArn = MethodArn,
        Headers = new Dictionary<string, string> { ["Connection"] = "upgrade", ["Upgrade"] = "websocket", ["Host"] = "localhost" },
        QueryStringParameters = new Dictionary<string, string> { ["token"] = token },
        RequestContext = new WebSocketRequestContext { RouteKey = "$connect", EventType = WebSocketEventType.Connect, ConnectionId = ConnectionId, Stage = "local" },
    };

    private static async Task AssertBadRequestAsync(HttpResponseMessage response, string expected)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync().DefaultTimeout());
        Assert.Equal("invalid_request", json.RootElement.GetProperty("error").GetString());
        Assert.Contains(expected, json.RootElement.GetProperty("message").GetString());
    }
}
