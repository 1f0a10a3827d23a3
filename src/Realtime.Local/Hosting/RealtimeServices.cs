using Amazon.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Realtime.Connect.Functions;
using Realtime.Connect.Hosting;
using Realtime.Connect.Hosting.Metrics;
using Realtime.Connect.Management;
using Realtime.Connect.Registry;
using Realtime.Connect.Registry.DynamoDb;
using Realtime.Local.Gateway;
using Realtime.Local.Identity;
using Realtime.Local.Metrics;
using Realtime.Local.Publishing;
using Realtime.Router.Policy;

namespace Realtime.Local.Hosting;

/// <summary>
/// What the project's own functions need in the local host, so the template's handlers run as they do on AWS: the
/// registry (in memory, or DynamoDB such as DynamoDB Local), the route handlers, the authorizer trusting the host's
/// development tokens, and beside the gateway, <c>/dev</c> tokens, <c>POST /publish</c>, <c>GET /metrics</c> and the demo page.
/// </summary>
internal static class RealtimeServices
{
    public static void Add(IServiceCollection services, LocalGatewayOptions options)
    {
        services.TryAddSingleton(new RegistryOptions());
        services.TryAddSingleton<IConnectionRegistry>(sp => options.Registry == RegistryKind.DynamoDb
            ? CreateDynamoDbRegistry(sp, options)
            : new InMemoryConnectionRegistry(sp.GetRequiredService<RegistryOptions>(), sp.GetRequiredService<TimeProvider>()));
        var environment = FunctionEnvironment.Current;
        services.TryAddSingleton(new ConnectOptions { Subprotocols = environment.List(ConnectOptions.SubprotocolsVariable) });
        // The in-process @connections client checks only the path, the gateway's own base path.
        services.TryAddSingleton(sp => new ConnectionsEndpoints(new Uri($"http://127.0.0.1/{sp.GetRequiredService<GatewayOptions>().ManagementBasePath}")));
        services.AddRealtimeRoutes(TopicPolicy.FromEnvironment(environment.Optional(TopicPolicy.EnvironmentVariable)));
        // A large audience's shards wait in memory and are worked off here, as the shard function does on AWS.
        services.AddHostedService<ShardQueueWorker>();
        // The functions' metrics are added up for GET /metrics rather than written as EMF lines.
        services.TryAddSingleton(sp => new MetricsSummary(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IMetricsSink>(sp => sp.GetRequiredService<MetricsSummary>());
        services.AddDevelopmentTokens();
        services.AddRealtimeAuthorizer(sp => sp.GetRequiredService<DevelopmentTokenIssuer>().CreateAuthorizerOptions(options.AllowAnonymous));
    }

    public static void Map(WebApplication app, LocalGatewayOptions options)
    {
        app.MapDevelopmentTokens();
        app.MapPublish(new PublishEndpointOptions { Key = options.PublishKey, LoopbackOnly = true });
        app.MapMetrics(app.Services.GetRequiredService<MetricsSummary>());
        DemoPage.Map(app);
    }

    private static DynamoDbConnectionRegistry CreateDynamoDbRegistry(IServiceProvider services, LocalGatewayOptions options)
    {
        var environment = FunctionEnvironment.Current;
        var endpoint = options.DynamoDbEndpoint ?? environment.Url(FunctionEnvironment.DynamoDbEndpoint);
        var table = options.TableName ?? environment.Optional(FunctionEnvironment.Table)
            ?? throw new InvalidOperationException("--registry dynamodb needs --table NAME (or REALTIME_TABLE).");
        // DynamoDB Local accepts any credentials; the real service gets the standard chain.
        return DynamoDbRegistryFactory.Create(
            table, endpoint, environment.Optional(FunctionEnvironment.Region), endpoint is null ? null : new BasicAWSCredentials("local", "local"),
            services.GetRequiredService<RegistryOptions>(), services.GetRequiredService<TimeProvider>());
    }
}
