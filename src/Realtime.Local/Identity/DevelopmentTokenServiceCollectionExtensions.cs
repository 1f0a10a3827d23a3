using Microsoft.Extensions.DependencyInjection.Extensions;
using Realtime.Local.Identity;

namespace Microsoft.Extensions.DependencyInjection;

public static class DevelopmentTokenServiceCollectionExtensions
{
    /// <summary>Registers the <see cref="DevelopmentTokenIssuer"/> (one key for the host's lifetime) that <c>MapDevelopmentTokens()</c> serves.</summary>
    public static IServiceCollection AddDevelopmentTokens(this IServiceCollection services, Action<DevelopmentTokenOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<DevelopmentTokenOptions>();
        if (configure is not null) options.Configure(configure);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DevelopmentTokenIssuer>();
        return services;
    }
}
