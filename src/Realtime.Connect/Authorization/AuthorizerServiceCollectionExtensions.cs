using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Realtime.Connect.Authorization;

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
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        if (options.ValidatesTokens)
        {
            services.AddSingleton(provider => new JwksProvider(
                options,
                new HttpClient(),
                provider.GetRequiredService<TimeProvider>(),
                provider.GetRequiredService<ILogger<JwksProvider>>()));
        }
        return services;
    }
}
