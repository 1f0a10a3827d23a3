using Realtime.Connect.Authorization;
using Realtime.Testing;

namespace Realtime.Connect.Tests.Authorization;

/// <summary>
/// The issuer down or hanging. The fetch timeout runs on the fake clock, so a hung fetch stays hung until a test
/// advances it: whatever answers before that did not wait for the fetch.
/// </summary>
public sealed class JwksOutageTests : AuthorizerTestBase
{
    private static readonly TimeSpan FetchTimeout = new AuthorizerOptions().JwksFetchTimeout;

    [Fact]
    public async Task Handshakes_with_stale_keys_answer_at_once_while_the_issuer_hangs_and_cost_one_fetch_per_refresh_interval()
    {
        var function = Function(Options(), out var keys);
        AssertPolicy(await function.AuthorizeAsync(EventWithQueryToken(ValidToken()), default).DefaultTimeout(), "Allow");
        Server.Hang();
        Clock.Advance(TimeSpan.FromMinutes(61));

        var concurrent = await Task.WhenAll(Enumerable.Range(0, 4)
            .Select(_ => Task.Run(() => function.AuthorizeAsync(EventWithQueryToken(ValidTokenNow()), default)))).DefaultTimeout();
        await Server.RequestsReached(2).DefaultTimeout();
        for (var i = 0; i < 20; i++)
            AssertPolicy(await function.AuthorizeAsync(EventWithQueryToken(ValidTokenNow()), default).DefaultTimeout(), "Allow");

        Assert.All(concurrent, result => AssertPolicy(result, "Allow"));
        Assert.False(keys.Fetching.IsCompleted); // every handshake answered while the refresh hung
        Assert.Equal(2, Server.Requests);

        Clock.Advance(FetchTimeout);
        await keys.Fetching.DefaultTimeout();
        Assert.Contains("did not answer", Assert.Single(JwksLogger.Named("FetchFailed")).Exception!.Message);

        // The failure is remembered for the refresh interval: the stale keys serve, nobody asks the issuer.
        Clock.Advance(TimeSpan.FromSeconds(50));
        for (var i = 0; i < 20; i++)
            AssertPolicy(await function.AuthorizeAsync(EventWithQueryToken(ValidTokenNow()), default).DefaultTimeout(), "Allow");
        Assert.Equal(2, Server.Requests);
        Assert.True(keys.Fetching.IsCompleted);

        // The next interval brings one more attempt, in the background again.
        Clock.Advance(TimeSpan.FromSeconds(10));
        AssertPolicy(await function.AuthorizeAsync(EventWithQueryToken(ValidTokenNow()), default).DefaultTimeout(), "Allow");
        await Server.RequestsReached(3).DefaultTimeout();
        Server.Recover();
        await keys.Fetching.DefaultTimeout();
        Assert.Single(JwksLogger.Named("FetchFailed"));
        Assert.Equal(2, JwksLogger.Named("KeysFetched").Count());
        Assert.Equal(3, Server.Requests);
    }

    [Fact]
    public async Task Without_keys_handshakes_share_one_fetch_fail_at_its_timeout_and_then_fail_at_once_for_a_refresh_interval()
    {
        Server.Hang();
        var function = Function();

        var handshakes = Enumerable.Range(0, 4)
            .Select(_ => Task.Run(() => function.AuthorizeAsync(EventWithQueryToken(ValidToken()), default))).ToArray();
        await Server.RequestsReached(1).DefaultTimeout();
        Assert.DoesNotContain(handshakes, handshake => handshake.IsCompleted);

        Clock.Advance(FetchTimeout);
        foreach (var handshake in handshakes)
            await Assert.ThrowsAsync<JwksUnavailableException>(() => handshake).DefaultTimeout();
        Assert.Equal(1, Server.Requests);

        // The issuer still hangs: a handshake that asked it would hang too, on a clock that no longer moves.
        Clock.Advance(TimeSpan.FromSeconds(59));
        var remembered = await Assert.ThrowsAsync<JwksUnavailableException>(
            () => function.AuthorizeAsync(EventWithQueryToken(ValidToken()), default)).DefaultTimeout();
        Assert.Contains("did not answer", remembered.Message);
        Assert.Equal(1, Server.Requests);

        Server.Recover();
        Clock.Advance(TimeSpan.FromSeconds(1));
        AssertPolicy(await function.AuthorizeAsync(EventWithQueryToken(ValidToken()), default).DefaultTimeout(), "Allow");
        Assert.Equal(2, Server.Requests);
    }

    [Fact]
    public async Task Unknown_kids_while_the_issuer_fails_cost_one_fetch_per_refresh_interval_and_known_keys_keep_working()
    {
        var function = Function();
        AssertPolicy(await function.AuthorizeAsync(EventWithQueryToken(ValidToken()), default).DefaultTimeout(), "Allow");
        Server.Fail(503);
        Clock.Advance(TimeSpan.FromMinutes(2));

        for (var i = 0; i < 10; i++)
        {
            var forged = TestTokens.Rs256(TestKey.C, Claims(), kid: $"forged-{i}");
            AssertPolicy(await function.AuthorizeAsync(EventWithQueryToken(forged), default).DefaultTimeout(), "Deny");
            AssertPolicy(await function.AuthorizeAsync(EventWithQueryToken(ValidToken()), default).DefaultTimeout(), "Allow");
        }

        Assert.Equal(2, Server.Requests);
        Assert.Single(JwksLogger.Named("FetchFailed"));
    }

    [Fact]
    public async Task A_handshake_waiting_for_a_rotated_key_does_not_hold_up_handshakes_with_cached_keys()
    {
        var function = Function(Options(), out var keys);
        AssertPolicy(await function.AuthorizeAsync(EventWithQueryToken(ValidToken()), default).DefaultTimeout(), "Allow");
        Server.Hang();
        Server.Publish(TestKey.A, TestKey.B);
        Clock.Advance(TimeSpan.FromMinutes(2));

        var rotated = Task.Run(() => function.AuthorizeAsync(EventWithQueryToken(ValidTokenNow(TestKey.B)), default));
        await Server.RequestsReached(2).DefaultTimeout();
        for (var i = 0; i < 5; i++)
            AssertPolicy(await function.AuthorizeAsync(EventWithQueryToken(ValidTokenNow()), default).DefaultTimeout(), "Allow");
        Assert.False(rotated.IsCompleted);

        Server.Recover();
        AssertPolicy(await rotated.DefaultTimeout(), "Allow");
        await keys.Fetching.DefaultTimeout();
        Assert.Equal(2, Server.Requests);
    }
}
