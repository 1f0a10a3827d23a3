using Realtime.Testing.Lambda;
using System.Text.Json;
using Realtime.Connect.Contract;
using Realtime.Deployment.Tests.Functions;
using Realtime.Deployment.Tests.Infrastructure;
using Realtime.Testing.Connections;
using Realtime.Testing.DynamoDb;

namespace Realtime.Deployment.Tests.Bootstrap;

/// <summary>
/// Every function of the custom runtime's template, each in a process of its own started as provided.al2023 starts
/// it (the Native AOT <c>bootstrap</c> of the zip, <c>_HANDLER</c> from the template), with the environment the
/// template gives it. DynamoDB Local stands behind a tap that writes down each request's trace header, each
/// posting function gets a loopback <c>@connections</c>, and each function given a queue an SQS stand-in's endpoint.
/// </summary>
public sealed class BootstrapStack : IAsyncLifetime
{
    private readonly Dictionary<string, FunctionProcess> _functions = [];
    private readonly Dictionary<string, LoopbackConnectionsServer> _connections = [];
    private readonly Dictionary<string, SqsStandIn> _sqs = [];

    public BootstrapArtifacts Artifacts { get; private set; } = null!;

    public DynamoDbRecorder DynamoDb { get; private set; } = null!;

    public IReadOnlyList<string> FunctionIds => SamTemplate.FunctionIds(Artifacts.Template);

    public FunctionProcess this[string functionId] => _functions[functionId];

    public LoopbackConnectionsServer ConnectionsOf(string functionId) => _connections[functionId];

    /// <summary>The stack's queues, by logical id.</summary>
    public SqsQueues Queues { get; private set; } = null!;

    public SqsStandIn SqsOf(string functionId) => _sqs[functionId];

    /// <summary>Lambda's poller of the function's SQS event.</summary>
    public SqsEventSource EventSourceOf(string functionId) => SqsEventSource.Of(Artifacts.Template, functionId, Queues, this[functionId]);

    /// <summary>The table itself, to write an audience into.</summary>
    public DynamoDbLocal Table { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Artifacts = await BootstrapArtifacts.GetSharedAsync();
        var dynamoDb = await DynamoDbLocal.GetSharedAsync();
        Table = dynamoDb;
        DynamoDb = await DynamoDbRecorder.StartAsync(dynamoDb.Endpoint);
        var template = Artifacts.Template;
        Queues = new SqsQueues(SamTemplate.ResourcesOfType(template, "AWS::SQS::Queue"));
        foreach (var functionId in SamTemplate.FunctionIds(template))
        {
            var standIns = new Dictionary<string, string> { ["REALTIME_TABLE"] = dynamoDb.TableName };
            if (SamTemplate.EnvironmentOf(template, functionId).ContainsKey("REALTIME_CONNECTIONS_ENDPOINT"))
            {
                var connections = await LoopbackConnectionsServer.StartAsync(new LoopbackConnectionsServer.Options(BasePath: "prod"));
                _connections[functionId] = connections;
                standIns["REALTIME_CONNECTIONS_ENDPOINT"] = connections.Endpoint.ToString();
            }
            var queueUrls = PackagedStack.QueueUrlsOf(template, functionId, Queues);
            if (queueUrls.Count > 0)
            {
                _sqs[functionId] = await SqsStandIn.StartAsync(Queues, functionId);
                foreach (var (name, url) in queueUrls) standIns[name] = url;
            }

            var environment = SamTemplate.ResolveEnvironment(template, functionId, PackagedStack.Parameters, standIns);
            foreach (var (name, value) in PackagedStack.LambdaVariables(DynamoDb.Endpoint, _sqs.GetValueOrDefault(functionId)?.Endpoint)) environment[name] = value;
            _functions[functionId] = await BootstrapProcess.StartAsync(
                Artifacts.TaskRootOf(functionId), SamTemplate.HandlerOf(template, functionId), functionId, environment);
        }
        foreach (var function in _functions.Values) await function.WaitUntilInitializedAsync();
    }

    /// <summary>Invokes a proxy-integrated function with an API Gateway event and reads its proxy response.</summary>
    public async Task<ProxyResponse> InvokeAsync(string functionId, WebSocketProxyEvent proxyEvent, string? traceId = null)
    {
        var outcome = await this[functionId].InvokeAsync(JsonSerializer.Serialize(proxyEvent, ApiGatewayJsonContext.Default.WebSocketProxyEvent), traceId: traceId);
        Assert.False(outcome.IsError, $"{functionId} failed: {outcome}");
        return JsonSerializer.Deserialize(outcome.Body, ApiGatewayJsonContext.Default.ProxyResponse)!;
    }

    public async Task DisposeAsync()
    {
        foreach (var function in _functions.Values) await function.DisposeAsync();
        foreach (var connections in _connections.Values) await connections.DisposeAsync();
        foreach (var sqs in _sqs.Values) await sqs.DisposeAsync();
        if (DynamoDb is not null) await DynamoDb.DisposeAsync();
    }
}
