using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Realtime.Testing;

namespace Realtime.Connect.Tests.Authorization;

/// <summary>
/// A real Kestrel server on a free loopback port playing the token issuer: it publishes its JWKS at
/// <c>{Issuer}/.well-known/jwks.json</c>, where Cognito does, and counts the requests. It can also misbehave the ways
/// an issuer or whatever sits at its address might: fail, hang, redirect, or answer with an enormous body.
/// </summary>
public sealed class JwksServer : IAsyncDisposable
{
    private const string JwksPath = "/pool/.well-known/jwks.json";
    private const string ElsewherePath = "/elsewhere/jwks.json";

    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _waitersGate = new();
    private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];
    private volatile JsonObject _document = new() { ["keys"] = new JsonArray() };
    private volatile int _statusCode = StatusCodes.Status200OK;
    private volatile Answer _answer = Answer.Document;
    private volatile TaskCompletionSource _recovered = NewSignal();
    private long? _declaredLength;
    private int _streamedLength;
    private int _requests;
    private int _elsewhereRequests;

    private enum Answer { Document, Hang, Redirect, Oversized }

    private JwksServer(WebApplication app) => _app = app;

    public string Issuer { get; private set; } = "";
    public Uri JwksUrl => new(Issuer + "/.well-known/jwks.json");
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Requests that followed a redirect to another address, which serves the same keys.</summary>
    public int ElsewhereRequests => Volatile.Read(ref _elsewhereRequests);

    public static async Task<JwksServer> StartAsync(params TestKey[] keys)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new JwksServer(app);
        server.Publish(keys);

        app.MapGet(JwksPath, server.AnswerAsync);
        app.MapGet(ElsewherePath, () =>
        {
            Interlocked.Increment(ref server._elsewhereRequests);
            return Results.Text(server._document.ToJsonString(), "application/json");
        });

        await app.StartAsync().DefaultTimeout();
        server.Issuer = app.Urls.Single().TrimEnd('/') + "/pool";
        return server;
    }

    public void Publish(params TestKey[] keys) => Publish(keys.Select(key => key.PublicJwk()).ToArray());

    public void Publish(params JsonObject[] jwks) =>
        _document = new JsonObject { ["keys"] = new JsonArray(jwks.Select(jwk => (JsonNode)jwk.DeepClone()).ToArray()) };

    public void Fail(int statusCode) => _statusCode = statusCode;

    /// <summary>From now on, requests get no answer until <see cref="Recover"/> (or until the client gives up).</summary>
    public void Hang() => _answer = Answer.Hang;

    /// <summary>Answers normally again, hung requests included.</summary>
    public void Recover()
    {
        _answer = Answer.Document;
        _statusCode = StatusCodes.Status200OK;
        Interlocked.Exchange(ref _recovered, NewSignal()).TrySetResult();
    }

    /// <summary>Answers 302 with the address of the same keys on another path.</summary>
    public void Redirect() => _answer = Answer.Redirect;

    /// <summary>
    /// Answers 200 with a Content-Length of <paramref name="contentLength"/> and then no body: only a client that refuses
    /// the answer on its length alone gets anywhere.
    /// </summary>
    public void DeclareOversized(long contentLength)
    {
        _declaredLength = contentLength;
        _answer = Answer.Oversized;
    }

    /// <summary>
    /// Answers 200 without a Content-Length, sends <paramref name="length"/> bytes of body and then nothing more: only a
    /// client that stops reading at a size limit gets anywhere.
    /// </summary>
    public void StreamOversized(int length)
    {
        _declaredLength = null;
        _streamedLength = length;
        _answer = Answer.Oversized;
    }

    /// <summary>Completes once the server has received <paramref name="count"/> JWKS requests in all.</summary>
    public Task RequestsReached(int count)
    {
        lock (_waitersGate)
        {
            if (Requests >= count) return Task.CompletedTask;
            var reached = NewSignal();
            _waiters.Add((count, reached));
            return reached.Task;
        }
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var answer = _answer;
        var recovered = _recovered.Task;
        CountRequest();
        switch (answer)
        {
            case Answer.Hang:
                if (await HoldAsync(context, recovered)) await WriteDocumentAsync(context);
                return;
            case Answer.Redirect:
                context.Response.Redirect(ElsewherePath);
                return;
            case Answer.Oversized:
                await WriteOversizedAsync(context);
                return;
            default:
                await WriteDocumentAsync(context);
                return;
        }
    }

    private async Task WriteDocumentAsync(HttpContext context)
    {
        context.Response.StatusCode = _statusCode;
        if (_statusCode != StatusCodes.Status200OK) return;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(_document.ToJsonString(), context.RequestAborted);
    }

    // A JSON prefix, then spaces: valid so far at any length, so only a size limit stops a client waiting for the rest.
    private async Task WriteOversizedAsync(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        if (_declaredLength is { } declared)
        {
            context.Response.ContentLength = declared;
            await context.Response.StartAsync(context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }
        else
        {
            var body = new byte[_streamedLength];
            Array.Fill(body, (byte)' ');
            Encoding.ASCII.GetBytes("{\"keys\":[").CopyTo(body, 0);
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }
        await HoldAsync(context, new TaskCompletionSource().Task);
    }

    // Waits for release until the client goes away or the server stops; true when released.
    private async Task<bool> HoldAsync(HttpContext context, Task release)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        try
        {
            await release.WaitAsync(stop.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void CountRequest()
    {
        var count = Interlocked.Increment(ref _requests);
        lock (_waitersGate)
        {
            foreach (var waiter in _waiters.Where(waiter => waiter.Count <= count).ToList())
            {
                waiter.Reached.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync().DefaultTimeout();
        await _app.DisposeAsync().DefaultTimeout();
        _stopping.Dispose();
    }
}
