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
/// <c>@connections</c> endpoint a loopback server per posting function; Lambda's own variables (region, credentials)
/// are set as Lambda sets them.
/// </summary>
public sealed class PackagedStack : IAsyncLifetime
{
    /// <summary>The parameters the stack is deployed with: anonymous connections on, so the authorizer needs no issuer.</summary>
    public static readonly IReadOnlyDictionary<string, string> Parameters = new Dictionary<string, string> { ["AllowAnonymous"] = "true" };

    private readonly Dictionary<string, FunctionProcess> _functions = [];
    private readonly Dictionary<string, DynamoDbRecorder> _recorders = [];
    private readonly Dictionary<string, LoopbackConnectionsServer> _connections = [];

    public PackagedArtifacts Artifacts { get; private set; } = null!;

    public DynamoDbLocal DynamoDb { get; private set; } = null!;

    public IReadOnlyList<string> FunctionIds => SamTemplate.FunctionIds(Artifacts.Template);

    public FunctionProcess this[string functionId] => _functions[functionId];

    public DynamoDbRecorder RecorderOf(string functionId) => _recorders[functionId];

    public LoopbackConnectionsServer? ConnectionsOf(string functionId) => _connections.GetValueOrDefault(functionId);

    public async Task InitializeAsync()
    {
        Artifacts = await PackagedArtifacts.GetSharedAsync();
        DynamoDb = await DynamoDbLocal.GetSharedAsync();
        var template = Artifacts.Template;
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

            var environment = SamTemplate.ResolveEnvironment(template, functionId, Parameters, standIns);
            foreach (var (name, value) in LambdaVariables(recorder.Endpoint)) environment[name] = value;
            _functions[functionId] = await ManagedRuntimeProcess.StartAsync(Artifacts.TaskRootOf(functionId), SamTemplate.HandlerOf(template, functionId), environment);
        }
        foreach (var function in _functions.Values) await function.WaitUntilInitializedAsync();
    }

    /// <summary>What Lambda sets besides the template's variables, and the one local-only variable: the DynamoDB endpoint.</summary>
    public static Dictionary<string, string> LambdaVariables(Uri dynamoDbEndpoint) => new()
    {
        ["AWS_REGION"] = "us-east-1",
        ["AWS_DEFAULT_REGION"] = "us-east-1",
        ["AWS_ACCESS_KEY_ID"] = "local",
        ["AWS_SECRET_ACCESS_KEY"] = "local",
        ["REALTIME_DYNAMODB_ENDPOINT"] = dynamoDbEndpoint.ToString(),
    };

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
    }
}
