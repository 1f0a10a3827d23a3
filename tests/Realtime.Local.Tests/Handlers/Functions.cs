using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Realtime.Connect.Management;
using Realtime.Local.Tests.Infrastructure;

namespace Realtime.Local.Tests.Handlers;

/// <summary>Helpers for the test functions: read the event, write a proxy result.</summary>
internal static class Lambda
{
    public static async Task<string> ReadAsync(Stream input)
    {
        using var reader = new StreamReader(input, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    public static Stream Result(int statusCode, string? body = null, IDictionary<string, string>? headers = null)
    {
        var result = new JsonObject { ["statusCode"] = statusCode };
        if (body is not null) result["body"] = body;
        if (headers is not null) result["headers"] = new JsonObject(headers.Select(h => KeyValuePair.Create(h.Key, (JsonNode?)h.Value)));
        return Json(result.ToJsonString());
    }

    public static Stream Json(string json) => new MemoryStream(Encoding.UTF8.GetBytes(json));

    public static string? Query(JsonElement root, string name) =>
        root.TryGetProperty("queryStringParameters", out var query) && query.TryGetProperty(name, out var value) ? value.GetString() : null;

    public static ConnectionTarget Target(JsonElement root)
    {
        var context = root.GetProperty("requestContext");
        var endpoint = new Uri($"http://{context.GetProperty("domainName").GetString()}/{context.GetProperty("stage").GetString()}");
        return new ConnectionTarget(endpoint, context.GetProperty("connectionId").GetString()!);
    }
}

/// <summary>Records its event and answers 200.</summary>
public sealed class RecordingFunction(EventRecorder recorder)
{
    public async Task<Stream> FunctionHandler(Stream input)
    {
        recorder.Record(nameof(RecordingFunction), await Lambda.ReadAsync(input));
        return Lambda.Result(200);
    }
}

/// <summary>Records its event and answers with the message body as the proxy result's body (for two-way routes).</summary>
public sealed class EchoFunction(EventRecorder recorder)
{
    public async Task<Stream> FunctionHandler(Stream input)
    {
        var recorded = recorder.Record(nameof(EchoFunction), await Lambda.ReadAsync(input));
        return Lambda.Result(200, "echo:" + recorded.Body);
    }
}

/// <summary>Posts the message body back to its sender through the host's @connections client.</summary>
public sealed class PostBackFunction(EventRecorder recorder, IConnectionsClient connections)
{
    public async Task<Stream> FunctionHandler(Stream input, CancellationToken cancellationToken)
    {
        var recorded = recorder.Record(nameof(PostBackFunction), await Lambda.ReadAsync(input));
        using var body = JsonDocument.Parse(recorded.Body!);
        var reply = body.RootElement.TryGetProperty("reply", out var r) ? r.GetString()! : recorded.Body!;
        var repeat = body.RootElement.TryGetProperty("repeat", out var n) ? n.GetInt32() : 1;
        var data = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(reply, repeat)));
        var result = await connections.PostAsync(Lambda.Target(recorded.Root), data, cancellationToken);
        return Lambda.Result(result.IsOk ? 200 : 500);
    }
}

/// <summary>Always fails, as a Lambda function error would.</summary>
public sealed class ThrowingFunction(EventRecorder recorder)
{
    public async Task<Stream> FunctionHandler(Stream input)
    {
        recorder.Record(nameof(ThrowingFunction), await Lambda.ReadAsync(input));
        throw new InvalidOperationException("the function failed");
    }
}

/// <summary>Takes five seconds, past the short timeouts the tests configure.</summary>
public sealed class SlowFunction(EventRecorder recorder)
{
    public async Task<Stream> FunctionHandler(Stream input)
    {
        recorder.Record(nameof(SlowFunction), await Lambda.ReadAsync(input));
        await Task.Delay(TimeSpan.FromSeconds(5));
        return Lambda.Result(200, "too late");
    }
}

/// <summary>Records its event and answers 500 with a body: on a one-way route, API Gateway sends the client nothing.</summary>
public sealed class FailingStatusFunction(EventRecorder recorder)
{
    public async Task<Stream> FunctionHandler(Stream input)
    {
        recorder.Record(nameof(FailingStatusFunction), await Lambda.ReadAsync(input));
        return Lambda.Result(500, "must not reach the client");
    }
}

/// <summary>
/// Blocks its thread for five seconds before it returns, with no await at all: a handler doing synchronous I/O.
/// </summary>
public sealed class BlockingFunction(EventRecorder recorder)
{
    public Task<Stream> FunctionHandler(Stream input)
    {
        using (var reader = new StreamReader(input, Encoding.UTF8)) recorder.Record(nameof(BlockingFunction), reader.ReadToEnd());
        Thread.Sleep(TimeSpan.FromSeconds(5));
        return Task.FromResult(Lambda.Result(200, "too late"));
    }
}

/// <summary>Waits until the test releases its connection (<see cref="InvocationHold"/>), then answers 200.</summary>
public sealed class HoldingFunction(InvocationHold hold)
{
    public async Task<Stream> FunctionHandler(Stream input)
    {
        using var document = JsonDocument.Parse(await Lambda.ReadAsync(input));
        await hold.HoldAsync(document.RootElement.GetProperty("requestContext").GetProperty("connectionId").GetString()!);
        return Lambda.Result(200);
    }
}

/// <summary>
/// A $connect function driven by the query string: <c>status=N</c> answers N, <c>protocol=P</c> returns
/// Sec-WebSocket-Protocol P, <c>throw=1</c> fails, <c>post=1</c> tries to post to its own connection (and records
/// what @connections said), <c>header=1</c> returns an extra response header, <c>slow=1</c> takes five seconds.
/// </summary>
public sealed class ConnectFunction(EventRecorder recorder, IConnectionsClient connections)
{
    public async Task<Stream> FunctionHandler(Stream input)
    {
        var recorded = recorder.Record(nameof(ConnectFunction), await Lambda.ReadAsync(input));
        var root = recorded.Root;
        if (Lambda.Query(root, "throw") == "1") throw new InvalidOperationException("$connect failed");
        if (Lambda.Query(root, "slow") == "1") await Task.Delay(TimeSpan.FromSeconds(5));
        if (Lambda.Query(root, "post") == "1")
        {
            var result = await connections.PostAsync(Lambda.Target(root), "hello"u8.ToArray(), CancellationToken.None);
            recorder.Record("PostDuringConnect", $"{{\"requestContext\":{{\"connectionId\":\"{recorded.ConnectionId}\",\"eventType\":\"POST\"}},\"status\":{result.HttpStatusCode}}}");
        }
        var headers = new Dictionary<string, string>();
        if (Lambda.Query(root, "protocol") is { } protocol) headers["Sec-WebSocket-Protocol"] = protocol;
        if (Lambda.Query(root, "header") == "1") headers["X-Connect-Function"] = "yes";
        var status = Lambda.Query(root, "status") is { } s ? int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : 200;
        return Lambda.Result(status, null, headers.Count > 0 ? headers : null);
    }
}

/// <summary>
/// A REQUEST authorizer driven by <c>token</c>: allow, deny, wrong-resource (<c>.../{stage}/*/*</c>), wildcard
/// (<c>.../*</c>), unauthorized (fails with "Unauthorized"), error, malformed, object-context, no-principal, too-large (over 8 KB).
/// </summary>
public sealed class AuthorizerFunction(EventRecorder recorder)
{
    public async Task<Stream> FunctionHandler(Stream input)
    {
        var recorded = recorder.Record(nameof(AuthorizerFunction), await Lambda.ReadAsync(input));
        var root = recorded.Root;
        var arn = root.GetProperty("methodArn").GetString()!;
        var stagePrefix = arn[..(arn.LastIndexOf('/') + 1)];
        var token = Lambda.Query(root, "token");
        return token switch
        {
            "allow" => Policy("user-1", "Allow", arn, """{"userId":"u1","count":3,"admin":true,"nothing":null}"""),
            "deny" => Policy("user-1", "Deny", arn, null),
            "wrong-resource" => Policy("user-1", "Allow", stagePrefix + "*/*", null),
            "wildcard" => Policy("user-1", "Allow", stagePrefix + "*", """{"userId":"u2"}"""),
            "unauthorized" => throw new UnauthorizedAccessException("Unauthorized"),
            "error" => throw new InvalidOperationException("the authorizer broke"),
            "malformed" => Lambda.Json("this is not a policy"),
            "object-context" => Policy("user-1", "Allow", arn, """{"nested":{"a":1}}"""),
            "too-large" => Policy("user-1", "Allow", arn, $$"""{"padding":"{{new string('x', 8 * 1024)}}"}"""),
            "no-principal" => Lambda.Json($$$"""{"policyDocument":{"Version":"2012-10-17","Statement":[{"Action":"execute-api:Invoke","Effect":"Allow","Resource":"{{{arn}}}"}]}}"""),
            _ => Policy("user-1", "Deny", arn, null),
        };
    }

    private static Stream Policy(string principal, string effect, string resource, string? context) =>
        Lambda.Json($$$"""{"principalId":"{{{principal}}}","policyDocument":{"Version":"2012-10-17","Statement":[{"Action":"execute-api:Invoke","Effect":"{{{effect}}}","Resource":"{{{resource}}}"}]}{{{(context is null ? "" : ",\"context\":" + context)}}}}""");
}
