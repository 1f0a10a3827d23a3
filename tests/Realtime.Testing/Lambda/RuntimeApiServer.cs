using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Realtime.Testing.Lambda;

/// <summary>
/// A real Kestrel server on a free loopback port that plays Lambda's Runtime API (2018-06-01) for one function
/// process: <c>GET /runtime/invocation/next</c> long-polls for the next event and hands it out with
/// <c>Lambda-Runtime-Aws-Request-Id</c>, <c>Lambda-Runtime-Deadline-Ms</c>, <c>Lambda-Runtime-Trace-Id</c> and
/// <c>Lambda-Runtime-Invoked-Function-Arn</c>; <c>/response</c> and <c>/error</c> complete the invocation;
/// <c>/runtime/init/error</c> records an initialization failure. Tests invoke through it as Lambda would.
/// </summary>
public sealed class RuntimeApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<PendingInvocation> _queue = Channel.CreateUnbounded<PendingInvocation>();
    private readonly ConcurrentDictionary<string, PendingInvocation> _handedOut = new();
    private readonly TaskCompletionSource<JsonObject> _initError = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstPoll = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private RuntimeApiServer(WebApplication app) => _app = app;

    /// <summary><c>host:port</c>, the value of <c>AWS_LAMBDA_RUNTIME_API</c>.</summary>
    public string Address { get; private set; } = "";

    /// <summary>Completes when the function first asks for an invocation: its initialization succeeded.</summary>
    public Task Initialized => _firstPoll.Task;

    /// <summary>Completes with the error document when the function reports an initialization failure.</summary>
    public Task<JsonObject> InitError => _initError.Task;

    public static async Task<RuntimeApiServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new RuntimeApiServer(app);

        app.MapGet("/2018-06-01/runtime/invocation/next", server.NextAsync);
        app.MapPost("/2018-06-01/runtime/invocation/{requestId}/response", (Delegate)server.ResponseAsync);
        app.MapPost("/2018-06-01/runtime/invocation/{requestId}/error", (Delegate)server.ErrorAsync);
        app.MapPost("/2018-06-01/runtime/init/error", (Delegate)server.InitErrorAsync);

        await app.StartAsync().DefaultTimeout();
        server.Address = new Uri(app.Urls.Single()).Authority;
        return server;
    }

    /// <summary>Queues one invocation and waits for the function's answer.</summary>
    /// <param name="timeout">The function's remaining time, sent as the deadline.</param>
    public Task<InvocationOutcome> InvokeAsync(byte[] payload, TimeSpan? timeout = null, string? traceId = null)
    {
        var invocation = new PendingInvocation(
            Guid.NewGuid().ToString(),
            DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(29)),
            traceId ?? NewTraceId(),
            payload);
        _queue.Writer.TryWrite(invocation);
        return invocation.Outcome.Task;
    }

    public Task<InvocationOutcome> InvokeAsync(string json, TimeSpan? timeout = null, string? traceId = null) =>
        InvokeAsync(System.Text.Encoding.UTF8.GetBytes(json), timeout, traceId);

    /// <summary>An X-Ray trace header as Lambda passes it: <c>Root=1-{epoch hex}-{24 hex};Parent={16 hex};Sampled=1</c>.</summary>
    public static string NewTraceId() =>
        $"Root=1-{DateTimeOffset.UtcNow.ToUnixTimeSeconds():x8}-{Guid.NewGuid():N}"[..40] + $";Parent={Guid.NewGuid():N}"[..24] + ";Sampled=1";

    private async Task NextAsync(HttpContext context)
    {
        _firstPoll.TrySetResult();
        PendingInvocation invocation;
        try
        {
            invocation = await _queue.Reader.ReadAsync(context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        _handedOut[invocation.RequestId] = invocation;
        var headers = context.Response.Headers;
        headers["Lambda-Runtime-Aws-Request-Id"] = invocation.RequestId;
        headers["Lambda-Runtime-Deadline-Ms"] = invocation.Deadline.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        headers["Lambda-Runtime-Trace-Id"] = invocation.TraceId;
        headers["Lambda-Runtime-Invoked-Function-Arn"] = "arn:aws:lambda:us-east-1:123456789012:function:realtime";
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(invocation.Payload);
    }

    private async Task<IResult> ResponseAsync(string requestId, HttpContext context)
    {
        if (!_handedOut.TryRemove(requestId, out var invocation)) return Results.BadRequest();
        invocation.Outcome.TrySetResult(new InvocationOutcome(await ReadAsync(context), ErrorType: null));
        return Results.Accepted();
    }

    private async Task<IResult> ErrorAsync(string requestId, HttpContext context)
    {
        if (!_handedOut.TryRemove(requestId, out var invocation)) return Results.BadRequest();
        var errorType = context.Request.Headers["Lambda-Runtime-Function-Error-Type"].ToString();
        invocation.Outcome.TrySetResult(new InvocationOutcome(await ReadAsync(context), errorType.Length > 0 ? errorType : "Runtime.Unknown"));
        return Results.Accepted();
    }

    private async Task<IResult> InitErrorAsync(HttpContext context)
    {
        var body = System.Text.Encoding.UTF8.GetString(await ReadAsync(context));
        _initError.TrySetResult(JsonNode.Parse(body)!.AsObject());
        return Results.Accepted();
    }

    private static async Task<byte[]> ReadAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _app.StopAsync().DefaultTimeout();
        await _app.DisposeAsync().DefaultTimeout();
    }

    private sealed record PendingInvocation(string RequestId, DateTimeOffset Deadline, string TraceId, byte[] Payload)
    {
        public TaskCompletionSource<InvocationOutcome> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>What the function answered: its response body, or an error document with its type.</summary>
public sealed record InvocationOutcome(byte[] Body, string? ErrorType)
{
    public bool IsError => ErrorType is not null;

    public JsonNode Json => JsonNode.Parse(Body) ?? throw new InvalidOperationException("The function answered null.");

    public override string ToString() => $"{(IsError ? ErrorType : "ok")}: {System.Text.Encoding.UTF8.GetString(Body)}";
}
