using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Realtime.Testing;

namespace Realtime.Deployment.Tests.Infrastructure;

/// <summary>One request a function sent to DynamoDB: its operation, its body and the X-Ray trace header it carried.</summary>
public sealed record TappedRequest(string Operation, string Body, string? TraceHeader);

/// <summary>
/// A loopback proxy in front of DynamoDB Local that passes every request on unchanged and writes down the
/// <c>X-Amzn-Trace-Id</c> header it carried: what X-Ray would link to the invocation that made the call.
/// </summary>
public sealed class DynamoDbTraceTap : IAsyncDisposable
{
    private static readonly HttpClient Forwarder = new();
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<TappedRequest> _requests = new();

    private DynamoDbTraceTap(WebApplication app) => _app = app;

    public Uri Endpoint { get; private set; } = null!;

    public IReadOnlyList<TappedRequest> Requests => _requests.ToArray();

    public static async Task<DynamoDbTraceTap> StartAsync(Uri dynamoDbLocal)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var tap = new DynamoDbTraceTap(app);
        app.Run(context => tap.ForwardAsync(context, dynamoDbLocal));
        await app.StartAsync().DefaultTimeout();
        tap.Endpoint = new Uri(app.Urls.Single());
        return tap;
    }

    private async Task ForwardAsync(HttpContext context, Uri target)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var bytes = body.ToArray();
        var operation = context.Request.Headers["X-Amz-Target"].ToString();
        var trace = context.Request.Headers["X-Amzn-Trace-Id"].ToString();
        _requests.Enqueue(new TappedRequest(operation[(operation.IndexOf('.') + 1)..], Encoding.UTF8.GetString(bytes), trace.Length > 0 ? trace : null));

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
        await answer.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().DefaultTimeout();
        await _app.DisposeAsync().DefaultTimeout();
    }
}
