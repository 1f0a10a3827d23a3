using Realtime.Testing.Connections;
using Realtime.Testing.DynamoDb;

namespace Realtime.Bench.ColdStart;

/// <summary>
/// What AWS would be, on loopback: DynamoDB Local with the connections table, and an <c>@connections</c> endpoint
/// where every connection the benchmark makes is live. One topic has one subscriber, so a publish posts once.
/// </summary>
internal sealed class StandIns : IAsyncDisposable
{
    private readonly LoopbackConnectionsServer _connections;

    private StandIns(DynamoDbLocal dynamoDb, LoopbackConnectionsServer connections)
    {
        DynamoDb = dynamoDb;
        _connections = connections;
    }

    public DynamoDbLocal DynamoDb { get; }

    public string TableName => DynamoDb.TableName;

    public Uri ConnectionsEndpoint => _connections.Endpoint;

    public string Topic { get; } = $"wishlist:cold-{Guid.NewGuid():N}"[..24];

    /// <summary>Lambda's own variables, credentials included, and the DynamoDB endpoint of the stand-in.</summary>
    public IReadOnlyDictionary<string, string> LambdaVariables => new Dictionary<string, string>
    {
        ["AWS_REGION"] = "us-east-1",
        ["AWS_DEFAULT_REGION"] = "us-east-1",
        ["AWS_ACCESS_KEY_ID"] = "local",
        ["AWS_SECRET_ACCESS_KEY"] = "local",
        ["REALTIME_DYNAMODB_ENDPOINT"] = DynamoDb.Endpoint.ToString(),
    };

    public static async Task<StandIns> StartAsync(CancellationToken cancellationToken)
    {
        var dynamoDb = await DynamoDbLocal.GetSharedAsync().WaitAsync(cancellationToken);
        var connections = await LoopbackConnectionsServer.StartAsync(new LoopbackConnectionsServer.Options(BasePath: "prod"), cancellationToken);
        var standIns = new StandIns(dynamoDb, connections);
        await standIns.SubscribeAsync(cancellationToken);
        return standIns;
    }

    /// <summary>A new connection id, live at <c>@connections</c>.</summary>
    public string NewConnection()
    {
        var id = $"cold-{Guid.NewGuid():N}"[..20];
        _connections.Connect(id);
        return id;
    }

    private async Task SubscribeAsync(CancellationToken cancellationToken)
    {
        // The registry's own writer, so the subscriber is recorded exactly as the message function records one.
        var registry = Realtime.Connect.Registry.DynamoDb.DynamoDbRegistryFactory.Create(
            TableName, DynamoDb.Endpoint, "us-east-1", new Amazon.Runtime.BasicAWSCredentials("local", "local"),
            new Realtime.Connect.Registry.RegistryOptions(), TimeProvider.System);
        var subscriber = NewConnection();
        await registry.AddAsync(new Realtime.Connect.Registry.Connection(subscriber, "bench", DateTimeOffset.UtcNow, Realtime.Testing.Functions.ProxyEvents.DomainName, "prod", null), cancellationToken);
        await registry.SubscribeAsync(subscriber, Topic, cancellationToken);
    }

    public ValueTask DisposeAsync() => _connections.DisposeAsync();
}
