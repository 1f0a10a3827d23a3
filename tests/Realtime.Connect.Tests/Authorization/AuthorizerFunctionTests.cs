using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Realtime.Connect.Authorization;
using Realtime.Testing;

namespace Realtime.Connect.Tests.Authorization;

public sealed class AuthorizerFunctionTests : AuthorizerTestBase
{
    [Fact]
    public async Task Valid_token_in_the_query_string_is_allowed_as_its_subject()
    {
        var result = await Function().AuthorizeAsync(EventWithQueryToken(ValidToken()), default).DefaultTimeout();

        AssertPolicy(result, "Allow");
        Assert.Equal(TestTokens.Subject, result.PrincipalId);
        Assert.Equal("alice", ContextValue(result, AuthorizerContextKeys.UserName));
        Assert.Equal("admins,editors", ContextValue(result, AuthorizerContextKeys.Groups));
        Assert.Equal("false", ContextValue(result, AuthorizerContextKeys.Anonymous));
        Assert.Equal(3, result.Context!.Count);
        var accepted = Assert.Single(Logger.Named("TokenAccepted"));
        Assert.Equal(TestTokens.Subject, accepted.Values["PrincipalId"]);
    }

    [Theory]
    [InlineData("Authorization", "Bearer {0}")]
    [InlineData("authorization", "bearer {0}")]
    [InlineData("AUTHORIZATION", "{0}")]
    public async Task Valid_token_in_the_authorization_header_is_allowed(string header, string format)
    {
        var token = ValidToken();
        var authorizerEvent = Event(headers: new Dictionary<string, string> { ["Host"] = "example", [header] = string.Format(format, token) });

        var result = await Function().AuthorizeAsync(authorizerEvent, default).DefaultTimeout();

        AssertPolicy(result, "Allow");
        Assert.Equal(TestTokens.Subject, result.PrincipalId);
        Assert.Equal("header", Assert.Single(Logger.Named("TokenAccepted")).Values["Source"]);
    }

    [Fact]
    public async Task Username_falls_back_to_username_then_preferred_username_and_groups_are_absent_without_the_claim()
    {
        var claims = Claims();
        claims.Remove("cognito:username");
        claims.Remove("cognito:groups");
        claims["preferred_username"] = "Alice Liddell";

        var result = await Function().AuthorizeAsync(EventWithQueryToken(TestTokens.Rs256(TestKey.A, claims)), default).DefaultTimeout();

        AssertPolicy(result, "Allow");
        Assert.Equal("Alice Liddell", ContextValue(result, AuthorizerContextKeys.UserName));
        Assert.False(result.Context!.ContainsKey(AuthorizerContextKeys.Groups));
    }

    [Fact]
    public async Task Expired_token_is_denied()
    {
        var claims = Claims();
        claims["iat"] = Now.AddHours(-2).ToUnixTimeSeconds();
        claims["nbf"] = Now.AddHours(-2).ToUnixTimeSeconds();
        claims["exp"] = Now.AddMinutes(-2).ToUnixTimeSeconds(); // beyond the 60 s clock skew
        var token = TestTokens.Rs256(TestKey.A, claims);

        var result = await Function().AuthorizeAsync(EventWithQueryToken(token), default).DefaultTimeout();

        AssertDenied(result, "Expired", token);
    }

    [Fact]
    public async Task Token_expired_within_the_clock_skew_is_still_allowed()
    {
        var claims = Claims();
        claims["exp"] = Now.AddSeconds(-30).ToUnixTimeSeconds();
        claims["nbf"] = Now.AddHours(-1).ToUnixTimeSeconds();

        var result = await Function().AuthorizeAsync(EventWithQueryToken(TestTokens.Rs256(TestKey.A, claims)), default).DefaultTimeout();

        AssertPolicy(result, "Allow");
    }

    [Fact]
    public async Task Token_that_is_not_yet_valid_is_denied()
    {
        var claims = Claims();
        claims["nbf"] = Now.AddMinutes(5).ToUnixTimeSeconds();
        var token = TestTokens.Rs256(TestKey.A, claims);

        var result = await Function().AuthorizeAsync(EventWithQueryToken(token), default).DefaultTimeout();

        AssertDenied(result, "NotYetValid", token);
    }

    [Fact]
    public async Task Token_without_expiry_is_denied()
    {
        var claims = Claims();
        claims.Remove("exp");
        var token = TestTokens.Rs256(TestKey.A, claims);

        var result = await Function().AuthorizeAsync(EventWithQueryToken(token), default).DefaultTimeout();

        AssertDenied(result, "MissingExpiry", token);
    }

    [Fact]
    public async Task Token_from_another_issuer_is_denied_even_when_signed_by_a_published_key()
    {
        var claims = Claims();
        claims["iss"] = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_other";
        var token = TestTokens.Rs256(TestKey.A, claims);

        var result = await Function().AuthorizeAsync(EventWithQueryToken(token), default).DefaultTimeout();

        AssertDenied(result, "InvalidIssuer", token);
    }

    [Fact]
    public async Task Token_for_another_audience_is_denied()
    {
        var claims = Claims();
        claims["aud"] = "some-other-app";
        var token = TestTokens.Rs256(TestKey.A, claims);

        var result = await Function().AuthorizeAsync(EventWithQueryToken(token), default).DefaultTimeout();

        AssertDenied(result, "InvalidAudience", token);
    }

    [Fact]
    public async Task Access_token_is_matched_on_client_id_when_it_has_no_aud()
    {
        var claims = Claims();
        claims.Remove("aud");
        claims["client_id"] = "second-client";
        claims["token_use"] = "access";
        claims["username"] = "alice-access";
        claims.Remove("cognito:username");

        var result = await Function(Options(tokenUse: "access", audiences: [TestTokens.Audience, "second-client"]))
            .AuthorizeAsync(EventWithQueryToken(TestTokens.Rs256(TestKey.A, claims)), default).DefaultTimeout();

        AssertPolicy(result, "Allow");
        Assert.Equal("alice-access", ContextValue(result, AuthorizerContextKeys.UserName));
    }

    [Theory]
    [InlineData("\"some-other-app\"")]
    [InlineData("[\"some-other-app\"]")]
    [InlineData("[]")]
    [InlineData("\"\"")]
    [InlineData("null")]
    public async Task Token_with_an_aud_is_denied_when_no_aud_matches_even_if_its_client_id_does(string aud)
    {
        var claims = Claims();
        claims["aud"] = JsonNode.Parse(aud);
        claims["client_id"] = TestTokens.Audience;
        var token = TestTokens.Rs256(TestKey.A, claims);

        var result = await Function().AuthorizeAsync(EventWithQueryToken(token), default).DefaultTimeout();

        AssertDenied(result, "InvalidAudience", token);
    }

    [Fact]
    public async Task Token_with_one_matching_aud_among_several_is_allowed()
    {
        var claims = Claims();
        claims["aud"] = new JsonArray("some-other-app", TestTokens.Audience);

        var result = await Function().AuthorizeAsync(EventWithQueryToken(TestTokens.Rs256(TestKey.A, claims)), default).DefaultTimeout();

        AssertPolicy(result, "Allow");
    }

    [Fact]
    public async Task Token_of_the_wrong_token_use_is_denied()
    {
        var token = ValidToken(); // token_use: id

        var result = await Function(Options(tokenUse: "access")).AuthorizeAsync(EventWithQueryToken(token), default).DefaultTimeout();

        AssertDenied(result, "InvalidTokenUse", token);
    }

    [Fact]
    public async Task Token_without_token_use_is_denied_when_one_is_required()
    {
        var claims = Claims();
        claims.Remove("token_use");
        var token = TestTokens.Rs256(TestKey.A, claims);

        var result = await Function(Options(tokenUse: "id")).AuthorizeAsync(EventWithQueryToken(token), default).DefaultTimeout();

        AssertDenied(result, "InvalidTokenUse", token);
    }

    [Fact]
    public async Task Token_without_subject_is_denied()
    {
        var claims = Claims();
        claims.Remove("sub");
        var token = TestTokens.Rs256(TestKey.A, claims);

        var result = await Function().AuthorizeAsync(EventWithQueryToken(token), default).DefaultTimeout();

        AssertDenied(result, "MissingSubject", token);
    }

    [Fact]
    public async Task Unsigned_alg_none_token_is_denied_without_fetching_keys()
    {
        var token = TestTokens.Unsigned(Claims(), kid: TestKey.A.Kid);

        var result = await Function().AuthorizeAsync(EventWithQueryToken(token), default).DefaultTimeout();

        AssertDenied(result, "UnsupportedAlgorithm", token);
        Assert.Equal(0, Server.Requests);
    }

    [Fact]
    public async Task Tampered_payload_is_denied()
    {
        var claims = Claims();
        claims["sub"] = "mallory";
        var token = TestTokens.WithPayload(ValidToken(), claims);

        var result = await Function().AuthorizeAsync(EventWithQueryToken(token), default).DefaultTimeout();

        AssertDenied(result, "InvalidSignature", token);
    }

    [Fact]
    public async Task Token_signed_by_a_key_the_issuer_does_not_publish_under_that_kid_is_denied()
    {
        var token = TestTokens.Rs256(TestKey.B, Claims(), kid: TestKey.A.Kid);

        var result = await Function().AuthorizeAsync(EventWithQueryToken(token), default).DefaultTimeout();

        AssertDenied(result, "InvalidSignature", token);
    }

    [Theory]
    [InlineData("pem")]
    [InlineData("der")]
    [InlineData("modulus")]
    public async Task HS256_signed_with_the_published_RSA_key_is_denied(string form)
    {
        var rsa = TestKey.A.Rsa;
        var secret = form switch
        {
            "pem" => Encoding.ASCII.GetBytes(rsa.ExportSubjectPublicKeyInfoPem()),
            "der" => rsa.ExportSubjectPublicKeyInfo(),
            _ => rsa.ExportParameters(false).Modulus!,
        };
        var token = TestTokens.Hs256(secret, Claims(), TestKey.A.Kid);

        var result = await Function().AuthorizeAsync(EventWithQueryToken(token), default).DefaultTimeout();

        AssertDenied(result, "UnsupportedAlgorithm", token);
    }

    [Fact]
    public async Task HS256_with_a_symmetric_key_published_in_the_jwks_is_denied()
    {
        var secret = RandomNumberGenerator.GetBytes(32);
        Server.Publish(TestKey.A.PublicJwk(), new JsonObject { ["kty"] = "oct", ["kid"] = "shared", ["k"] = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(secret) });
        var token = TestTokens.Hs256(secret, Claims(), "shared");

        var result = await Function().AuthorizeAsync(EventWithQueryToken(token), default).DefaultTimeout();

        AssertDenied(result, "UnsupportedAlgorithm", token);
    }

    [Fact]
    public async Task RS256_token_whose_kid_names_a_symmetric_jwks_entry_is_denied_as_an_unknown_key()
    {
        Server.Publish(TestKey.A.PublicJwk(), new JsonObject { ["kty"] = "oct", ["kid"] = "shared", ["k"] = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA" });
        var token = TestTokens.Rs256(TestKey.A, Claims(), kid: "shared");

        var result = await Function().AuthorizeAsync(EventWithQueryToken(token), default).DefaultTimeout();

        AssertDenied(result, "UnknownSigningKey", token);
    }

    [Fact]
    public async Task Token_with_an_unknown_kid_is_denied()
    {
        var token = TestTokens.Rs256(TestKey.C, Claims());

        var result = await Function().AuthorizeAsync(EventWithQueryToken(token), default).DefaultTimeout();

        AssertDenied(result, "UnknownSigningKey", token);
    }

    [Fact]
    public async Task Token_without_kid_is_denied()
    {
        var token = TestTokens.Rs256(TestKey.A, Claims(), kid: "");

        var result = await Function().AuthorizeAsync(EventWithQueryToken(token), default).DefaultTimeout();

        AssertDenied(result, "MissingKeyId", token);
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.e30")]
    [InlineData("....")]
    public async Task Garbage_is_denied_as_malformed(string token)
    {
        var result = await Function().AuthorizeAsync(EventWithQueryToken(token), default).DefaultTimeout();

        AssertDenied(result, "Malformed", token);
        Assert.Equal(0, Server.Requests);
    }

    [Fact]
    public async Task Missing_token_is_unauthorized_when_anonymous_connections_are_off()
    {
        var exception = await Assert.ThrowsAsync<UnauthorizedException>(() => Function().AuthorizeAsync(EventWithQueryToken(null), default)).DefaultTimeout();

        Assert.Equal("Unauthorized", exception.Message);
        Assert.Single(Logger.Named("TokenMissing"));
    }

    [Theory]
    [InlineData("Basic YWxpY2U6c2VjcmV0")]
    [InlineData("Bearer   ")]
    [InlineData("")]
    public async Task Authorization_header_without_a_bearer_token_counts_as_no_token(string header)
    {
        var authorizerEvent = Event(query: new Dictionary<string, string> { ["token"] = " " }, headers: new Dictionary<string, string> { ["Authorization"] = header });

        await Assert.ThrowsAsync<UnauthorizedException>(() => Function().AuthorizeAsync(authorizerEvent, default)).DefaultTimeout();
    }

    [Fact]
    public async Task Missing_token_is_allowed_as_an_anonymous_principal_when_anonymous_connections_are_on()
    {
        var result = await Function(Options(allowAnonymous: true)).AuthorizeAsync(EventWithQueryToken(null), default).DefaultTimeout();

        AssertPolicy(result, "Allow");
        Assert.Equal("anonymous:" + ConnectionId, result.PrincipalId);
        Assert.Equal("true", ContextValue(result, AuthorizerContextKeys.Anonymous));
        Assert.Single(result.Context!);
    }

    [Fact]
    public async Task Invalid_token_is_denied_even_when_anonymous_connections_are_on()
    {
        var token = TestTokens.Unsigned(Claims(), kid: TestKey.A.Kid);

        var result = await Function(Options(allowAnonymous: true)).AuthorizeAsync(EventWithQueryToken(token), default).DefaultTimeout();

        AssertDenied(result, "UnsupportedAlgorithm", token);
    }

    [Fact]
    public async Task Token_is_denied_when_no_issuer_is_configured()
    {
        var function = new AuthorizerFunction(new AuthorizerOptions { AllowAnonymous = true }, timeProvider: Clock, logger: Logger);
        var token = ValidToken();

        var result = await function.AuthorizeAsync(EventWithQueryToken(token), default).DefaultTimeout();

        AssertDenied(result, "NoIssuerConfigured", token);
    }

    [Fact]
    public async Task Unreachable_keys_fail_the_invocation_instead_of_blaming_the_token()
    {
        Server.Fail(503);

        var exception = await Assert.ThrowsAsync<JwksUnavailableException>(() => Function().AuthorizeAsync(EventWithQueryToken(ValidToken()), default)).DefaultTimeout();

        Assert.Contains("503", exception.Message);
        Assert.Single(Logger.Named("KeysUnavailable"));
    }

    [Fact]
    public async Task Query_string_token_wins_over_the_authorization_header()
    {
        var authorizerEvent = Event(
            query: new Dictionary<string, string> { ["token"] = ValidToken() },
            headers: new Dictionary<string, string> { ["Authorization"] = "Bearer not-a-token" });

        var result = await Function().AuthorizeAsync(authorizerEvent, default).DefaultTimeout();

        AssertPolicy(result, "Allow");
    }
}
