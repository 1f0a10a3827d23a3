using Microsoft.Extensions.DependencyInjection;
using Realtime.Connect.Authorization;
using Realtime.Connect.Authorization.Internal;
using Realtime.Connect.Hosting;
using Realtime.Testing;

namespace Realtime.Connect.Tests.Authorization;

/// <summary>What a JWKS fetch refuses to do: read without bound, or follow a redirect.</summary>
public sealed class JwksFetchLimitsTests : AuthorizerTestBase
{
    [Fact]
    public async Task A_jwks_declared_larger_than_the_limit_is_refused_before_its_body_is_read()
    {
        // The body never comes: a client that waited for it would wait until the test gives up.
        Server.DeclareOversized(300L * 1024 * 1024);

        var exception = await Assert.ThrowsAsync<JwksUnavailableException>(
            () => Function().AuthorizeAsync(EventWithQueryToken(ValidToken()), default)).DefaultTimeout();

        Assert.Contains("larger than 65536 bytes", exception.Message);
    }

    [Fact]
    public async Task A_jwks_streamed_past_the_limit_is_refused_while_it_is_read()
    {
        // A megabyte, then silence: only a client that stops at the limit gets an answer before the test gives up.
        Server.StreamOversized(1024 * 1024);

        var exception = await Assert.ThrowsAsync<JwksUnavailableException>(
            () => Function().AuthorizeAsync(EventWithQueryToken(ValidToken()), default)).DefaultTimeout();

        Assert.Contains("larger than 65536 bytes", exception.Message);
    }

    [Fact]
    public async Task The_size_limit_is_an_option()
    {
        var options = new AuthorizerOptions { Issuer = Server.Issuer, Audiences = [TestTokens.Audience], JwksMaxBytes = 100 };

        var exception = await Assert.ThrowsAsync<JwksUnavailableException>(
            () => Function(options).AuthorizeAsync(EventWithQueryToken(ValidToken()), default)).DefaultTimeout();

        Assert.Contains("larger than 100 bytes", exception.Message);
        Assert.Equal(65536, new AuthorizerOptions().JwksMaxBytes);
    }

    [Fact]
    public async Task A_redirect_is_a_failed_fetch()
    {
        Server.Redirect();
        var options = Options();
        var function = new AuthorizerFunction(options, new JwksProvider(options, JwksHttpClient.Create(), Clock, JwksLogger), Clock, Logger);

        var exception = await Assert.ThrowsAsync<JwksUnavailableException>(
            () => function.AuthorizeAsync(EventWithQueryToken(ValidToken()), default)).DefaultTimeout();

        Assert.Contains("302", exception.Message);
        Assert.Equal(0, Server.ElsewhereRequests);
    }

    [Fact]
    public async Task Keys_from_a_redirect_that_a_given_client_followed_are_refused()
    {
        Server.Redirect();

        // The test base's client is a plain HttpClient, which follows redirects.
        var exception = await Assert.ThrowsAsync<JwksUnavailableException>(
            () => Function().AuthorizeAsync(EventWithQueryToken(ValidToken()), default)).DefaultTimeout();

        Assert.Contains("redirected", exception.Message);
        Assert.Equal(1, Server.ElsewhereRequests);
    }

    [Fact]
    public async Task The_Lambda_constructors_client_follows_no_redirect()
    {
        Server.Redirect();
        var variables = new Dictionary<string, string>
        {
            [AuthorizerOptions.IssuerVariable] = Server.Issuer,
            [AuthorizerOptions.AudienceVariable] = TestTokens.Audience,
        };
        var function = new AuthorizerFunction(new FunctionEnvironment(name => variables.GetValueOrDefault(name), logOutput: new MemoryStream()));

        var exception = await Assert.ThrowsAsync<JwksUnavailableException>(
            () => function.AuthorizeAsync(EventWithQueryToken(ValidToken()), default)).DefaultTimeout();

        Assert.Contains("302", exception.Message);
        Assert.Equal(0, Server.ElsewhereRequests);
    }

    [Fact]
    public async Task The_registered_key_caches_client_follows_no_redirect()
    {
        Server.Redirect();
        await using var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<TimeProvider>(Clock)
            .AddRealtimeAuthorizer(Options())
            .BuildServiceProvider();
        var function = ActivatorUtilities.CreateInstance<AuthorizerFunction>(services);

        var exception = await Assert.ThrowsAsync<JwksUnavailableException>(
            () => function.AuthorizeAsync(EventWithQueryToken(ValidToken()), default)).DefaultTimeout();

        Assert.Contains("302", exception.Message);
        Assert.Equal(0, Server.ElsewhereRequests);
    }
}
