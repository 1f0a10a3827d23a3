using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Realtime.Connect.Authorization;
using Realtime.Connect.Authorization.Internal;

namespace Microsoft.Extensions.DependencyInjection;

public static class AuthorizerServiceCollectionExtensions
{
    /// <summary>
    /// Registers what <see cref="AuthorizerFunction"/>'s service constructor takes: the options and, when they name an
    /// issuer, one <see cref="JwksProvider"/> shared by every instance, so a host that creates the function per
    /// handshake still fetches the keys once.
    /// </summary>
    public static IServiceCollection AddRealtimeAuthorizer(this IServiceCollection services, AuthorizerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return services.AddRealtimeAuthorizer(_ => options);
    }

    /// <summary>
    /// As <see cref="AddRealtimeAuthorizer(IServiceCollection, AuthorizerOptions)"/>, with options made when first needed:
    /// for a host whose issuer address is known only once its server listens.
    /// </summary>
    public static IServiceCollection AddRealtimeAuthorizer(this IServiceCollection services, Func<IServiceProvider, AuthorizerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(provider =>
        {
            var made = options(provider);
            made.Validate();
            return made;
        });
        services.AddSingleton(provider =>
        {
            var made = provider.GetRequiredService<AuthorizerOptions>();
            // Registered as a null-returning factory when there is no issuer: the function then takes no key cache.
            return made.ValidatesTokens
                ? new JwksProvider(made, JwksHttpClient.Create(), provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<JwksProvider>>())
                : null!;
        });
        return services;
    }
}
