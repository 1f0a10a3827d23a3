using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Realtime.Testing;

namespace Realtime.Deployment.Tests.Infrastructure;

/// <summary>One IAM permission a request needed: an action on the table or on one of its indexes.</summary>
public sealed record IamUse(string Action, string Resource)
{
    public override string ToString() => $"{Action} on {Resource}";
}

/// <summary>One request a function sent to DynamoDB: its operation, its body and the X-Ray trace header it carried.</summary>
public sealed record RecordedRequest(string Operation, string Body, string? TraceHeader);

/// <summary>
/// A loopback proxy in front of DynamoDB Local that a function process is pointed at: it passes every request on
/// unchanged and writes down each request (with the <c>X-Amzn-Trace-Id</c> it carried, what X-Ray would link to the
/// invocation) and the IAM permission it needs, the way IAM authorizes it. A Query names the index it
/// reads; a TransactWriteItems needs the action of each of its items (there is no transaction action); a
/// BatchWriteItem needs dynamodb:BatchWriteItem.
/// </summary>
public sealed class DynamoDbRecorder : IAsyncDisposable
{
    private static readonly HttpClient Forwarder = new();
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<IamUse, int> _uses = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    private DynamoDbRecorder(WebApplication app) => _app = app;

    public Uri Endpoint { get; private set; } = null!;

    public IReadOnlySet<IamUse> Uses => _uses.Keys.ToHashSet();

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    public static async Task<DynamoDbRecorder> StartAsync(Uri dynamoDbLocal)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var recorder = new DynamoDbRecorder(app);
        app.Run(context => recorder.ForwardAsync(context, dynamoDbLocal));
        await app.StartAsync().DefaultTimeout();
        recorder.Endpoint = new Uri(app.Urls.Single());
        return recorder;
    }

    private async Task ForwardAsync(HttpContext context, Uri target)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var bytes = body.ToArray();
        var operation = context.Request.Headers["X-Amz-Target"].ToString();
        var operationName = operation[(operation.IndexOf('.') + 1)..];
        var trace = context.Request.Headers["X-Amzn-Trace-Id"].ToString();
        _requests.Enqueue(new RecordedRequest(operationName, System.Text.Encoding.UTF8.GetString(bytes), trace.Length > 0 ? trace : null));
        foreach (var use in UsesOf(operationName, bytes)) _uses.AddOrUpdate(use, 1, (_, n) => n + 1);

        using var forward = new HttpRequestMessage(new HttpMethod(context.Request.Method), new Uri(target, context.Request.Path + context.Request.QueryString))
        {
            Content = new ByteArrayContent(bytes),
        };
        foreach (var (name, values) in context.Request.Headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase) || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) continue;
            if (!forward.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values)) forward.Content.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values);
        }
        using var answer = await Forwarder.SendAsync(forward, context.RequestAborted);
        context.Response.StatusCode = (int)answer.StatusCode;
        foreach (var (name, values) in answer.Content.Headers.Concat(answer.Headers))
        {
            if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)) continue;
            context.Response.Headers[name] = values.ToArray();
        }
        await answer.Content.CopyToAsync(context.Response.Body);
    }

    private static IEnumerable<IamUse> UsesOf(string operation, byte[] body)
    {
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        switch (operation)
        {
            case "Query" or "Scan":
                yield return new IamUse($"dynamodb:{operation}", root.TryGetProperty("IndexName", out var index) ? $"index/{index.GetString()}" : "table");
                break;
            case "TransactWriteItems":
                foreach (var item in root.GetProperty("TransactItems").EnumerateArray())
                {
                    foreach (var kind in item.EnumerateObject())
                    {
                        yield return new IamUse(kind.Name switch
                        {
                            "ConditionCheck" => "dynamodb:ConditionCheckItem",
                            "Put" => "dynamodb:PutItem",
                            "Delete" => "dynamodb:DeleteItem",
                            "Update" => "dynamodb:UpdateItem",
                            var other => throw new InvalidOperationException($"Unknown transaction item {other}."),
                        }, "table");
                    }
                }
                break;
            case "TransactGetItems":
                yield return new IamUse("dynamodb:GetItem", "table");
                break;
            default:
                yield return new IamUse($"dynamodb:{operation}", "table");
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().DefaultTimeout();
        await _app.DisposeAsync().DefaultTimeout();
    }
}
