using Microsoft.Extensions.DependencyInjection;
using Realtime.Connect.Authorization;
using Realtime.Testing;

namespace Realtime.Connect.Tests.Authorization;

/// <summary>How a host creates the function: ActivatorUtilities over the services AddRealtimeAuthorizer registers.</summary>
public sealed class AuthorizerRegistrationTests : AuthorizerTestBase
{
    [Fact]
    public async Task Functions_created_per_handshake_share_one_key_cache()
    {
        await using var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<TimeProvider>(Clock)
            .AddRealtimeAuthorizer(Options())
            .BuildServiceProvider();

        for (var i = 0; i < 3; i++)
        {
            var function = ActivatorUtilities.CreateInstance<AuthorizerFunction>(services);
            AssertPolicy(await function.AuthorizeAsync(EventWithQueryToken(ValidToken()), default).DefaultTimeout(), "Allow");
        }

        Assert.Equal(1, Server.Requests);
    }

    [Fact]
    public async Task Options_can_be_made_when_the_function_is_first_created()
    {
        var made = 0;
        await using var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<TimeProvider>(Clock)
            .AddRealtimeAuthorizer(_ =>
            {
                made++;
                return Options();
            })
            .BuildServiceProvider();
        Assert.Equal(0, made);

        var function = ActivatorUtilities.CreateInstance<AuthorizerFunction>(services);
        var result = await function.AuthorizeAsync(EventWithQueryToken(ValidToken()), default).DefaultTimeout();

        AssertPolicy(result, "Allow");
        Assert.Equal(1, made);
    }

    [Fact]
    public async Task Anonymous_only_hosts_need_no_key_cache()
    {
        await using var services = new ServiceCollection()
            .AddLogging()
            .AddRealtimeAuthorizer(new AuthorizerOptions { AllowAnonymous = true })
            .BuildServiceProvider();

        var function = ActivatorUtilities.CreateInstance<AuthorizerFunction>(services);
        var result = await function.AuthorizeAsync(EventWithQueryToken(null), default).DefaultTimeout();

        Assert.Equal("anonymous:" + ConnectionId, result.PrincipalId);
        Assert.Null(services.GetService<JwksProvider>());
    }
}
