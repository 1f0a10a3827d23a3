using Realtime.Connect.Authorization;
using Realtime.Testing;

namespace Realtime.Connect.Tests.Authorization;

public sealed class JwksProviderTests : AuthorizerTestBase
{
    [Fact]
    public async Task Keys_are_fetched_once_for_many_validations()
    {
        var function = Function();

        for (var i = 0; i < 25; i++)
        {
            var result = await function.AuthorizeAsync(EventWithQueryToken(ValidToken()), default).DefaultTimeout();
            AssertPolicy(result, "Allow");
        }

        Assert.Equal(1, Server.Requests);
    }

    [Fact]
    public async Task Instances_sharing_one_provider_share_its_keys()
    {
        var options = Options();
        Function(options, out var keys);

        for (var i = 0; i < 5; i++)
        {
            var function = new AuthorizerFunction(options, keys, Clock, Logger);
            AssertPolicy(await function.AuthorizeAsync(EventWithQueryToken(ValidToken()), default).DefaultTimeout(), "Allow");
        }

        Assert.Equal(1, Server.Requests);
    }

    [Fact]
    public async Task A_rotated_in_key_is_fetched_when_a_token_names_it()
    {
        var function = Function();
        AssertPolicy(await function.AuthorizeAsync(EventWithQueryToken(ValidToken()), default).DefaultTimeout(), "Allow");

        Server.Publish(TestKey.A, TestKey.B);
        Clock.Advance(TimeSpan.FromMinutes(2)); // past the refresh interval since the first fetch
        var rotated = await function.AuthorizeAsync(EventWithQueryToken(TestTokens.Rs256(TestKey.B, TestTokens.Claims(Server.Issuer, Clock.GetUtcNow()))), default).DefaultTimeout();

        AssertPolicy(rotated, "Allow");
        Assert.Equal(2, Server.Requests);
    }

    [Fact]
    public async Task Unknown_kids_refresh_the_keys_at_most_once_per_refresh_interval()
    {
        var function = Function();
        AssertPolicy(await function.AuthorizeAsync(EventWithQueryToken(ValidToken()), default).DefaultTimeout(), "Allow");
        Clock.Advance(TimeSpan.FromMinutes(2));

        for (var i = 0; i < 10; i++)
        {
            var token = TestTokens.Rs256(TestKey.C, Claims(), kid: $"forged-{i}");
            AssertPolicy(await function.AuthorizeAsync(EventWithQueryToken(token), default).DefaultTimeout(), "Deny");
        }

        Assert.Equal(2, Server.Requests); // the first fetch and one refresh for the first unknown kid
    }

    [Fact]
    public async Task A_key_published_within_the_refresh_interval_is_found_once_the_interval_has_passed()
    {
        var function = Function();
        AssertPolicy(await function.AuthorizeAsync(EventWithQueryToken(ValidToken()), default).DefaultTimeout(), "Allow");
        Server.Publish(TestKey.A, TestKey.B);
        var tokenB = TestTokens.Rs256(TestKey.B, Claims());

        AssertPolicy(await function.AuthorizeAsync(EventWithQueryToken(tokenB), default).DefaultTimeout(), "Deny");
        Clock.Advance(TimeSpan.FromSeconds(61));
        AssertPolicy(await function.AuthorizeAsync(EventWithQueryToken(tokenB), default).DefaultTimeout(), "Allow");

        Assert.Equal(2, Server.Requests);
    }

    [Fact]
    public async Task A_key_removed_from_the_jwks_stops_working_once_stale_keys_have_been_refreshed()
    {
        var function = Function(Options(), out var keys);
        AssertPolicy(await function.AuthorizeAsync(EventWithQueryToken(ValidToken()), default).DefaultTimeout(), "Allow");

        Server.Publish(TestKey.B);
        Clock.Advance(TimeSpan.FromMinutes(61));
        // The stale key answers at once; the refresh it starts runs in the background.
        AssertPolicy(await function.AuthorizeAsync(EventWithQueryToken(ValidTokenNow()), default).DefaultTimeout(), "Allow");
        await keys.Fetching.DefaultTimeout();

        var token = ValidTokenNow();
        var result = await function.AuthorizeAsync(EventWithQueryToken(token), default).DefaultTimeout();

        AssertDenied(result, "UnknownSigningKey", token);
        AssertPolicy(await function.AuthorizeAsync(EventWithQueryToken(ValidTokenNow(TestKey.B)), default).DefaultTimeout(), "Allow");
        Assert.Equal(2, Server.Requests);
    }

    [Fact]
    public async Task Stale_keys_keep_working_while_the_jwks_address_is_failing()
    {
        var function = Function(Options(), out var keys);
        AssertPolicy(await function.AuthorizeAsync(EventWithQueryToken(ValidToken()), default).DefaultTimeout(), "Allow");

        Server.Fail(500);
        Clock.Advance(TimeSpan.FromMinutes(61));
        AssertPolicy(await function.AuthorizeAsync(EventWithQueryToken(ValidTokenNow()), default).DefaultTimeout(), "Allow");
        await keys.Fetching.DefaultTimeout();
        var afterFailure = await function.AuthorizeAsync(EventWithQueryToken(ValidTokenNow()), default).DefaultTimeout();

        AssertPolicy(afterFailure, "Allow");
        Assert.Equal(2, Server.Requests);
        Assert.Contains("500", Assert.Single(JwksLogger.Named("FetchFailed")).Exception!.Message);
    }

    [Fact]
    public async Task Concurrent_first_validations_fetch_the_keys_once()
    {
        var function = Function();

        var results = await Task.WhenAll(Enumerable.Range(0, 16)
            .Select(_ => Task.Run(() => function.AuthorizeAsync(EventWithQueryToken(ValidToken()), default)))).DefaultTimeout();

        Assert.All(results, result => AssertPolicy(result, "Allow"));
        Assert.Equal(1, Server.Requests);
    }

    [Fact]
    public async Task Keys_unusable_for_RS256_are_skipped()
    {
        var encryptionKey = TestKey.B.PublicJwk();
        encryptionKey["use"] = "enc";
        var otherAlgorithm = TestKey.C.PublicJwk();
        otherAlgorithm["alg"] = "RS512";
        Server.Publish(TestKey.A.PublicJwk(), encryptionKey, otherAlgorithm);
        Function(Options(), out var keys);

        Assert.NotNull(await keys.FindKeyAsync(TestKey.A.Kid, default).DefaultTimeout());
        Assert.Null(await keys.FindKeyAsync(TestKey.B.Kid, default).DefaultTimeout());
        Assert.Null(await keys.FindKeyAsync(TestKey.C.Kid, default).DefaultTimeout());
        Assert.Equal("2", Assert.Single(JwksLogger.Named("KeysFetched")).Values["Skipped"]);
    }
}
