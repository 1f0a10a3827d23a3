using System.Text.Json;
using System.Text.Json.Nodes;
using Realtime.Connect.Contract;
using Realtime.Testing.Functions;

namespace Realtime.Bench.ColdStart;

/// <summary>
/// One function of the template as the benchmark starts it: its handler, its environment (the template's values,
/// parameters at their defaults but anonymous connections on, the table and <c>@connections</c> at the loopback
/// stand-ins) and the first event it is given, one that does its real work (DynamoDB, <c>@connections</c>).
/// </summary>
internal sealed record FunctionSetup(string Id, string Handler, IReadOnlyDictionary<string, string> Environment, Func<string> FirstEvent)
{
    public static IReadOnlyList<FunctionSetup> FromTemplate(string templatePath, StandIns standIns)
    {
        var template = JsonNode.Parse(File.ReadAllText(templatePath))!.AsObject();
        return template["Resources"]!.AsObject()
            .Where(resource => resource.Value!["Type"]!.GetValue<string>() == "AWS::Serverless::Function")
            .Select(resource => new FunctionSetup(
                resource.Key,
                resource.Value!["Properties"]!["Handler"]!.GetValue<string>(),
                EnvironmentOf(template, resource.Value!["Properties"]!, standIns),
                () => FirstEventOf(resource.Key, standIns)))
            .ToList();
    }

    private static Dictionary<string, string> EnvironmentOf(JsonObject template, JsonNode function, StandIns standIns)
    {
        var environment = new Dictionary<string, string>(standIns.LambdaVariables);
        foreach (var source in new[] { template["Globals"]?["Function"], function })
        {
            foreach (var (name, value) in source?["Environment"]?["Variables"]?.AsObject() ?? [])
            {
                environment[name] = name switch
                {
                    "REALTIME_TABLE" => standIns.TableName,
                    "REALTIME_CONNECTIONS_ENDPOINT" => standIns.ConnectionsEndpoint.ToString(),
                    "REALTIME_ALLOW_ANONYMOUS" => "true",
                    _ when value is JsonValue literal => literal.ToString(),
                    _ when value?["Ref"]?.GetValue<string>() is { } parameter => template["Parameters"]?[parameter]?["Default"]?.ToString() ?? "",
                    _ => throw new InvalidOperationException($"No stand-in for {name} = {value?.ToJsonString()}."),
                };
            }
        }
        return environment;
    }

    private static string FirstEventOf(string functionId, StandIns standIns)
    {
        var connectionId = standIns.NewConnection();
        return functionId switch
        {
            "ConnectFunction" => Serialize(ProxyEvents.Connect(connectionId, "bench")),
            "DisconnectFunction" => Serialize(ProxyEvents.Disconnect(connectionId, principalId: "bench")),
            "MessageFunction" => Serialize(ProxyEvents.Message(connectionId, """{"action":"ping","id":"1"}""", "bench", "ping")),
            "AuthorizerFunction" => Authorizer(connectionId),
            "PublishFunction" => Sqs($$$"""{"topic":"{{{standIns.Topic}}}","event":"cold_start","data":{}}"""),
            _ => throw new InvalidOperationException($"The benchmark has no first event for {functionId}."),
        };
    }

    private static string Serialize(WebSocketProxyEvent proxyEvent) => JsonSerializer.Serialize(proxyEvent, ApiGatewayJsonContext.Default.WebSocketProxyEvent);

    private static string Authorizer(string connectionId) => new JsonObject
    {
        ["type"] = "REQUEST",
        ["methodArn"] = "arn:aws:execute-api:us-east-1:123456789012:abcde12345/prod/$connect",
        ["headers"] = new JsonObject { ["Host"] = ProxyEvents.DomainName },
        ["requestContext"] = new JsonObject { ["routeKey"] = "$connect", ["eventType"] = "CONNECT", ["connectionId"] = connectionId },
    }.ToJsonString();

    private static string Sqs(string body) => new JsonObject
    {
        ["Records"] = new JsonArray(new JsonObject
        {
            ["messageId"] = Guid.NewGuid().ToString(),
            ["body"] = body,
            ["attributes"] = new JsonObject { ["ApproximateReceiveCount"] = "1" },
            ["eventSource"] = "aws:sqs",
        }),
    }.ToJsonString();
}
