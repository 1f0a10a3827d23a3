using Amazon;
using Amazon.SQS;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Realtime.Connect.Hosting;
using Realtime.Connect.Management;
using Realtime.Connect.Registry;
using Realtime.Router.FanOut;
using Realtime.Router.Policy;

namespace Realtime.Router.Functions;

/// <summary>
/// The services a Router function needs when Lambda creates it: the same registrations the local host makes, with
/// the DynamoDB registry and delivery ledger, the signed @connections client, the SQS shard queue and the settings
/// read from environment variables. The message function also reads the client limits; the shard function reads its
/// share of the deployment's fan-out rate; the publish function reads only what fan-out needs.
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
        return Build(environment, registryOptions, new FanOutOptions(), services => services.AddSingleton(rateLimit));
    }

    /// <summary>For <c>PublishFunction</c>: fan-out only.</summary>
    public static IServiceProvider ForPublishing(FunctionEnvironment environment) => Build(environment, new RegistryOptions(), new FanOutOptions(), _ => { });

    /// <summary>
    /// For <c>ShardFunction</c>: fan-out at its share of the deployment's rate, the budget
    /// (<c>REALTIME_FANOUT_RATE</c>, posts per second; 0 for none) divided among the invocations the shard queue may
    /// run at once (<c>REALTIME_FANOUT_INVOCATIONS</c>).
    /// </summary>
    public static IServiceProvider ForShards(FunctionEnvironment environment)
    {
        var rate = environment.Integer(FanOutRateVariable, 0, 0, 1_000_000);
        var invocations = environment.Integer(FanOutInvocationsVariable, 1, 1, 10_000);
        return Build(environment, new RegistryOptions(), new FanOutOptions { RatePerSecond = (double)rate / invocations }, _ => { });
    }

    public const string FanOutRateVariable = "REALTIME_FANOUT_RATE";
    public const string FanOutInvocationsVariable = "REALTIME_FANOUT_INVOCATIONS";

    private static ServiceProvider Build(FunctionEnvironment environment, RegistryOptions registryOptions, FanOutOptions fanOut, Action<IServiceCollection> more)
    {
        var services = new ServiceCollection()
            .AddSingleton(environment.LoggerFactory)
            .AddSingleton(typeof(ILogger<>), typeof(Logger<>))
            .AddSingleton(TimeProvider.System)
            .AddSingleton(environment.CreateDeadline())
            .AddSingleton(environment.MetricsSink)
            .AddSingleton(environment.CreateRegistry(registryOptions))
            .AddSingleton(environment.CreateLedger())
            .AddSingleton<IConnectionsClient>(services => new ConnectionsClient(
                new ConnectionsClientOptions { Region = environment.Optional(FunctionEnvironment.Region) },
                TimeProvider.System,
                services.GetRequiredService<ILogger<ConnectionsClient>>()))
            // Required: the functions post only where configuration says, never where an event's domain name points.
            .AddSingleton(ConnectionsEndpoints.Parse(environment.Required(ConnectionsEndpoints.EnvironmentVariable)))
            // A large audience's shards: only the functions write to this queue.
            .AddSingleton<IShardQueue>(new SqsShardQueue(
                new AmazonSQSClient(new AmazonSQSConfig
                {
                    RegionEndpoint = RegionEndpoint.GetBySystemName(environment.Required(FunctionEnvironment.Region)),
                    // Every request carries the invocation's trace header, as DynamoDB's and @connections' do.
                    HttpClientFactory = new TracingHttpClientFactory(),
                }),
                environment.Url(SqsShardQueue.EnvironmentVariable) ?? throw new FunctionConfigurationException(SqsShardQueue.EnvironmentVariable,
                    $"The environment variable {SqsShardQueue.EnvironmentVariable} is not set; the function cannot start without it.")));
        more(services);
        services.AddRealtimeRoutes(TopicPolicy.FromEnvironment(environment.Optional(TopicPolicy.EnvironmentVariable)), fanOut);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }
}
