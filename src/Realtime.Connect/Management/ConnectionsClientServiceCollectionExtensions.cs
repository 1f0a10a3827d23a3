using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Realtime.Connect.Management;

namespace Microsoft.Extensions.DependencyInjection;

public static class ConnectionsClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ConnectionsClient"/> as the singleton <see cref="IConnectionsClient"/>, with options from
    /// the environment (<c>AWS_REGION</c>) then <paramref name="configure"/>, validated when the host starts.
    /// </summary>
    public static IServiceCollection AddConnectionsClient(this IServiceCollection services, Action<ConnectionsClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<ConnectionsClientOptions>()
            .Configure(options => options.Region ??= ConnectionsClientOptions.FromEnvironment().Region)
            .Configure(options => configure?.Invoke(options))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ConnectionsClientOptions>, ConnectionsClientOptionsValidator>());
        services.TryAddSingleton(static sp => new ConnectionsClient(
            sp.GetRequiredService<IOptions<ConnectionsClientOptions>>(),
            sp.GetService<ILogger<ConnectionsClient>>() ?? NullLogger<ConnectionsClient>.Instance,
            sp.GetService<TimeProvider>()));
        services.TryAddSingleton<IConnectionsClient>(static sp => sp.GetRequiredService<ConnectionsClient>());
        return services;
    }
}
