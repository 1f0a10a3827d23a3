using System.Text.Json;
using Realtime.Connect.Contract;
using Realtime.Deployment.Tests.Infrastructure;
using Realtime.Testing;
using Realtime.Testing.Connections;
using Realtime.Testing.DynamoDb;
using Realtime.Testing.Lambda;

namespace Realtime.Deployment.Tests.Functions;

/// <summary>
/// Every function of the packaged template, each in a process of its own started as the managed runtime starts it,
/// with the environment the template gives it. What AWS would compute is played by loopback stand-ins: the table is
/// DynamoDB Local's (through a recorder per function, which writes down the IAM permissions each request needs), the
/// <c>@connections</c> endpoint a loopback server per posting function, the stack's queues an SQS stand-in with an
/// endpoint per function that is given a queue (which writes down the permissions too); Lambda's own variables
/// (region, credentials) are set as Lambda sets them. Each queue a function consumes has its event source
/// (<see cref="EventSourceOf"/>), which the tests run as Lambda's poller would.
/// </summary>
public sealed class PackagedStack : IAsyncLifetime
{
    /// <summary>The parameters the stack is deployed with: anonymous connections on, so the authorizer needs no issuer.</summary>
    public static readonly IReadOnlyDictionary<string, string> Parameters = new Dictionary<string, string> { ["AllowAnonymous"] = "true" };

    private readonly Dictionary<string, FunctionProcess> _functions = [];
    private readonly Dictionary<string, DynamoDbRecorder> _recorders = [];
    private readonly Dictionary<string, LoopbackConnectionsServer> _connections = [];
    private readonly Dictionary<string, SqsStandIn> _sqs = [];
    private readonly Dictionary<string, Task> _once = [];

    public PackagedArtifacts Artifacts { get; private set; } = null!;

    public DynamoDbLocal DynamoDb { get; private set; } = null!;

    public IReadOnlyList<string> FunctionIds => SamTemplate.FunctionIds(Artifacts.Template);

    public FunctionProcess this[string functionId] => _functions[functionId];

    public DynamoDbRecorder RecorderOf(string functionId) => _recorders[functionId];

    public LoopbackConnectionsServer? ConnectionsOf(string functionId) => _connections.GetValueOrDefault(functionId);

    /// <summary>The stack's queues, by logical id.</summary>
    public SqsQueues Queues { get; private set; } = null!;

    /// <summary>The SQS endpoint of a function the template gives a queue URL, or null.</summary>
    public SqsStandIn? SqsOf(string functionId) => _sqs.GetValueOrDefault(functionId);

    /// <summary>Lambda's poller of the function's SQS event.</summary>
    public SqsEventSource EventSourceOf(string functionId) => SqsEventSource.Of(Artifacts.Template, functionId, Queues, this[functionId]);

    /// <summary>
    /// Runs <paramref name="run"/> once for this stack, whichever test asks first; the others get the same result. For a
    /// scenario too slow to repeat that more than one test needs (and whose recorded requests each may count on).
    /// </summary>
    public Task<T> OnceAsync<T>(string name, Func<Task<T>> run)
    {
        lock (_once)
        {
            if (!_once.TryGetValue(name, out var task)) _once[name] = task = run();
            return (Task<T>)task;
        }
    }

    public async Task InitializeAsync()
    {
        Artifacts = await PackagedArtifacts.GetSharedAsync();
        DynamoDb = await DynamoDbLocal.GetSharedAsync();
        var template = Artifacts.Template;
        Queues = new SqsQueues(SamTemplate.ResourcesOfType(template, "AWS::SQS::Queue"));
        foreach (var functionId in SamTemplate.FunctionIds(template))
        {
            var recorder = await DynamoDbRecorder.StartAsync(DynamoDb.Endpoint);
            _recorders[functionId] = recorder;
            var standIns = new Dictionary<string, string> { ["REALTIME_TABLE"] = DynamoDb.TableName };
            if (SamTemplate.EnvironmentOf(template, functionId).ContainsKey("REALTIME_CONNECTIONS_ENDPOINT"))
            {
                var connections = await LoopbackConnectionsServer.StartAsync(new LoopbackConnectionsServer.Options(BasePath: "prod"));
                _connections[functionId] = connections;
                standIns["REALTIME_CONNECTIONS_ENDPOINT"] = connections.Endpoint.ToString();
            }
            var queueUrls = QueueUrlsOf(template, functionId, Queues);
            if (queueUrls.Count > 0)
            {
                _sqs[functionId] = await SqsStandIn.StartAsync(Queues, functionId);
                foreach (var (name, url) in queueUrls) standIns[name] = url;
            }

            var environment = SamTemplate.ResolveEnvironment(template, functionId, Parameters, standIns);
            foreach (var (name, value) in LambdaVariables(recorder.Endpoint, SqsOf(functionId)?.Endpoint)) environment[name] = value;
            _functions[functionId] = await ManagedRuntimeProcess.StartAsync(Artifacts.TaskRootOf(functionId), SamTemplate.HandlerOf(template, functionId), environment);
        }
        foreach (var function in _functions.Values) await function.WaitUntilInitializedAsync();
    }

    /// <summary>
    /// What Lambda sets besides the template's variables, and the local-only ones: the DynamoDB endpoint, and, for a
    /// function given a queue, <c>AWS_ENDPOINT_URL_SQS</c>, the AWS SDK's own setting of where SQS is, which the
    /// functions' code never reads (on AWS it is unset and the SDK goes to SQS in <c>AWS_REGION</c>).
    /// </summary>
    public static Dictionary<string, string> LambdaVariables(Uri dynamoDbEndpoint, Uri? sqsEndpoint = null)
    {
        var variables = new Dictionary<string, string>
        {
            ["AWS_REGION"] = "us-east-1",
            ["AWS_DEFAULT_REGION"] = "us-east-1",
            ["AWS_ACCESS_KEY_ID"] = "local",
            ["AWS_SECRET_ACCESS_KEY"] = "local",
            ["REALTIME_DYNAMODB_ENDPOINT"] = dynamoDbEndpoint.ToString(),
        };
        if (sqsEndpoint is not null) variables["AWS_ENDPOINT_URL_SQS"] = sqsEndpoint.ToString();
        return variables;
    }

    /// <summary>The function's variables whose value is a queue's URL (<c>{"Ref": queue}</c>), with the stand-in's URL of that queue.</summary>
    public static Dictionary<string, string> QueueUrlsOf(System.Text.Json.Nodes.JsonObject template, string functionId, SqsQueues queues)
    {
        var urls = new Dictionary<string, string>();
        foreach (var (name, value) in SamTemplate.EnvironmentOf(template, functionId))
        {
            if (value is System.Text.Json.Nodes.JsonObject { } intrinsic && intrinsic["Ref"]?.GetValue<string>() is { } reference && queues.LogicalIds.Contains(reference))
                urls[name] = queues.UrlOf(reference);
        }
        return urls;
    }

    /// <summary>Invokes a proxy-integrated function with an API Gateway event and reads its proxy response.</summary>
    public async Task<ProxyResponse> InvokeAsync(string functionId, WebSocketProxyEvent proxyEvent)
    {
        var outcome = await this[functionId].InvokeAsync(JsonSerializer.Serialize(proxyEvent, ApiGatewayJsonContext.Default.WebSocketProxyEvent));
        Assert.False(outcome.IsError, $"{functionId} failed: {outcome}");
        return JsonSerializer.Deserialize(outcome.Body, ApiGatewayJsonContext.Default.ProxyResponse)!;
    }

    public async Task DisposeAsync()
    {
        foreach (var function in _functions.Values) await function.DisposeAsync();
        foreach (var recorder in _recorders.Values) await recorder.DisposeAsync();
        foreach (var connections in _connections.Values) await connections.DisposeAsync();
        foreach (var sqs in _sqs.Values) await sqs.DisposeAsync();
    }
}
