using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Realtime.Connect.Hosting;
using Realtime.Connect.Management;
using Realtime.Connect.Registry;
using Realtime.Router.Policy;

namespace Realtime.Router.Functions;

/// <summary>
/// The services a Router function needs when Lambda creates it: the same registrations the local host makes, with
/// the DynamoDB registry, the signed @connections client and the settings read from environment variables. The
/// message function also reads the client limits; the publish function reads only what fan-out needs.
/// </summary>
internal static class RouterFunctionServices
{
    /// <summary>For <c>MessageFunction</c>: fan-out plus the per-client limits (subscriptions, message rate).</summary>
    public static IServiceProvider ForMessages(FunctionEnvironment environment)
    {
        var registryOptions = new RegistryOptions
        {
            MaxSubscriptionsPerConnection = environment.Integer(RegistryOptions.MaxSubscriptionsVariable, 100, 1, 10_000),
        };
        var rateLimit = new MessageRateLimit(
            environment.Integer(MessageRateLimit.PerConnectionVariable, MessageRateLimit.Default.PerConnection, 0, 10_000),
            environment.Integer(MessageRateLimit.PerUserVariable, MessageRateLimit.Default.PerUser, 0, 10_000));
        return Build(environment, registryOptions, services => services.AddSingleton(rateLimit));
    }

    /// <summary>For <c>PublishFunction</c>: fan-out only.</summary>
    public static IServiceProvider ForPublishing(FunctionEnvironment environment) => Build(environment, new RegistryOptions(), _ => { });

    private static ServiceProvider Build(FunctionEnvironment environment, RegistryOptions registryOptions, Action<IServiceCollection> more)
    {
        var services = new ServiceCollection()
            .AddSingleton(environment.LoggerFactory)
            .AddSingleton(typeof(ILogger<>), typeof(Logger<>))
            .AddSingleton(TimeProvider.System)
            .AddSingleton(environment.CreateDeadline())
            .AddSingleton(environment.MetricsSink)
            .AddSingleton(environment.CreateRegistry(registryOptions))
            .AddSingleton<IConnectionsClient>(services => new ConnectionsClient(
                new ConnectionsClientOptions { Region = environment.Optional(FunctionEnvironment.Region) },
                TimeProvider.System,
                services.GetRequiredService<ILogger<ConnectionsClient>>()))
            // Required: the functions post only where configuration says, never where an event's domain name points.
            .AddSingleton(ConnectionsEndpoints.Parse(environment.Required(ConnectionsEndpoints.EnvironmentVariable)));
        more(services);
        services.AddRealtimeRoutes(TopicPolicy.FromEnvironment(environment.Optional(TopicPolicy.EnvironmentVariable)));
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }
}
