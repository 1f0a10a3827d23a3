using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Realtime.Connect.Hosting;
using Realtime.Connect.Management;
using Realtime.Connect.Registry;
using Realtime.Router.Policy;

namespace Realtime.Router.Functions;

/// <summary>
/// The services a Router function needs when Lambda creates it: the same registrations the local host makes, with
/// the DynamoDB registry, the signed @connections client and the policy read from environment variables.
/// </summary>
internal static class RouterFunctionServices
{
    public static IServiceProvider Build(FunctionEnvironment environment)
    {
        var services = new ServiceCollection()
            .AddSingleton(environment.LoggerFactory)
            .AddSingleton(typeof(ILogger<>), typeof(Logger<>))
            .AddSingleton(TimeProvider.System)
            .AddSingleton(environment.CreateRegistry())
            .AddSingleton<IConnectionsClient>(services => new ConnectionsClient(
                new ConnectionsClientOptions { Region = environment.Optional(FunctionEnvironment.Region) },
                TimeProvider.System,
                services.GetRequiredService<ILogger<ConnectionsClient>>()))
            .AddRealtimeRoutes(
                TopicPolicy.FromEnvironment(environment.Optional(TopicPolicy.EnvironmentVariable)),
                ConnectionsEndpoint.Parse(environment.Optional(ConnectionsEndpoint.EnvironmentVariable)));
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }
}
