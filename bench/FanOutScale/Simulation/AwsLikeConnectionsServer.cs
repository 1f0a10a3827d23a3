using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace Realtime.Bench.FanOutScale.Simulation;

/// <summary>
/// API Gateway's <c>@connections</c> as it behaves under load, on a loopback Kestrel port: a shared rate limit
/// answering 429, log-normal latency, gone connections (410), rare 500s, and rare posts that deliver and then hold
/// their answer past the client's attempt timeout, so the client's retry delivers a second time. Every delivery is
/// recorded in <see cref="Ledger"/> under the body's <c>messageId</c>.
/// <para>
/// Signatures are not checked: what is simulated here is the behaviour under load, and the project's tests check
/// SigV4 against a server that recomputes it. Lean on purpose (no routing, no logging, the body scanned in place, the
/// random draws keyed by arrival number instead of a shared generator) so it keeps up with 10,000 requests per second
/// on two cores next to the client it serves.
/// </para>
/// <para>
/// Each request, in order: a token from the bucket, or 429 after a quarter of a sampled latency; the sampled latency;
/// 410 if the connection is gone; for POST only, 500 at <see cref="ConnectionsBehaviour.ServerErrorFraction"/>, a stall
/// at <see cref="ConnectionsBehaviour.StallFraction"/>, else 200. GET answers the connection's JSON and DELETE 204.
/// A client that gives up does not withdraw its post: it is delivered all the same once its latency has passed.
/// </para>
/// </summary>
public sealed class AwsLikeConnectionsServer : IAsyncDisposable
{
    /// <summary>The stage the endpoint ends with.</summary>
    public const string Stage = "prod";

    /// <summary>API Gateway's limit on a posted message.</summary>
    public const int MaxPayloadBytes = 128 * 1024;

    private const string ErrorTypeHeader = "x-amzn-ErrorType";
    private static readonly StringValues Json = new("application/json");
    private static readonly StringValues LimitExceeded = new("LimitExceededException");
    private static readonly StringValues Gone = new("GoneException");
    private static readonly StringValues InternalServerError = new("InternalServerErrorException");
    private static readonly StringValues PayloadTooLarge = new("PayloadTooLargeException");
    private static readonly byte[] RateExceededBody = """{"message":"Rate exceeded"}"""u8.ToArray();
    private static readonly byte[] GoneBody = """{"message":"Gone"}"""u8.ToArray();
    private static readonly byte[] InternalServerErrorBody = """{"message":"Internal server error"}"""u8.ToArray();
    private static readonly byte[] PayloadTooLargeBody = """{"message":"Request Too Long"}"""u8.ToArray();
    private static readonly byte[] ConnectionBody =
        """{"connectedAt":"2026-01-01T00:00:00Z","lastActiveAt":"2026-01-01T00:00:00Z","identity":{"sourceIp":"127.0.0.1"}}"""u8.ToArray();

    private readonly WebApplication _app;
    private readonly TimeProvider _timeProvider;
    private readonly LatencyDistribution _latency;

    private AwsLikeConnectionsServer(WebApplication app, ConnectionsBehaviour behaviour, TimeProvider timeProvider)
    {
        _app = app;
        _timeProvider = timeProvider;
        Behaviour = behaviour;
        Bucket = new TokenBucket(behaviour.RatePerSecond, behaviour.Burst, timeProvider);
        Ledger = new ReceivedDeliveries(timeProvider);
        _latency = new LatencyDistribution(behaviour.Median, behaviour.P99, behaviour.Min, behaviour.Max);
    }

    /// <summary>The @connections endpoint: <c>http://127.0.0.1:{port}/prod</c>.</summary>
    public Uri Endpoint { get; private set; } = null!;

    public ConnectionsBehaviour Behaviour { get; }

    /// <summary>The rate limit every request draws from.</summary>
    public TokenBucket Bucket { get; }

    /// <summary>What was delivered, per message id, and how the server answered.</summary>
    public ReceivedDeliveries Ledger { get; }

    public LatencyDistribution Latency => _latency;

    /// <summary>Whether the server answers 410 for the connection (see <see cref="ConnectionsBehaviour.IsGone"/>).</summary>
    public bool IsGone(string connectionId) => Behaviour.IsGone(connectionId);

    public static async Task<AwsLikeConnectionsServer> StartAsync(ConnectionsBehaviour? behaviour = null, TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 4 * MaxPayloadBytes;
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1);
        });
        var app = builder.Build();
        var server = new AwsLikeConnectionsServer(app, behaviour ?? ConnectionsBehaviour.Default, timeProvider ?? TimeProvider.System);
        app.Run(server.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
        server.Endpoint = new Uri($"http://127.0.0.1:{address.Port}/{Stage}", UriKind.Absolute);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var rawTarget = context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
        if (!ConnectionsPath.TryRead(rawTarget, Stage, out var connectionId))
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        var method = request.Method;
        var isPost = HttpMethods.IsPost(method);
        if (!isPost && !HttpMethods.IsGet(method) && !HttpMethods.IsDelete(method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        var sequence = (ulong)Ledger.CountRequest();
        var messageId = "";
        if (isPost)
        {
            // Read the whole body first, as API Gateway does before anything else.
            var (id, tooLarge) = await ReadBodyAsync(request.BodyReader).ConfigureAwait(false);
            if (tooLarge)
            {
                await AnswerAsync(response, StatusCodes.Status413PayloadTooLarge, PayloadTooLarge, PayloadTooLargeBody).ConfigureAwait(false);
                return;
            }
            messageId = id;
        }

        var seed = Behaviour.Seed;
        var latency = _latency.Sample(StableHash.Uniform(seed, sequence, 0), StableHash.Uniform(seed, sequence, 1));
        if (!Bucket.TryTake())
        {
            Ledger.CountThrottled();
            await WaitAsync(latency * Behaviour.ThrottledLatencyScale).ConfigureAwait(false);
            await AnswerAsync(response, StatusCodes.Status429TooManyRequests, LimitExceeded, RateExceededBody).ConfigureAwait(false);
            return;
        }

        await WaitAsync(latency).ConfigureAwait(false);
        if (IsGone(connectionId))
        {
            Ledger.CountGone();
            await AnswerAsync(response, StatusCodes.Status410Gone, Gone, GoneBody).ConfigureAwait(false);
            return;
        }

        if (!isPost)
        {
            if (HttpMethods.IsDelete(method))
            {
                response.StatusCode = StatusCodes.Status204NoContent;
                return;
            }
            response.StatusCode = StatusCodes.Status200OK;
            response.Headers.ContentType = Json;
            response.ContentLength = ConnectionBody.Length;
            await response.Body.WriteAsync(ConnectionBody, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        if (StableHash.Uniform(seed, sequence, 2) < Behaviour.ServerErrorFraction)
        {
            Ledger.CountServerError();
            await AnswerAsync(response, StatusCodes.Status500InternalServerError, InternalServerError, InternalServerErrorBody).ConfigureAwait(false);
            return;
        }

        Ledger.Record(messageId, connectionId);
        if (StableHash.Uniform(seed, sequence, 3) < Behaviour.StallFraction)
        {
            Ledger.CountStall();
            try
            {
                // Already delivered; the answer is what is late. A client that gives up closes the connection.
                await Task.Delay(Behaviour.Stall, _timeProvider, context.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentLength = 0;
    }

    private Task WaitAsync(TimeSpan delay) => delay > TimeSpan.Zero ? Task.Delay(delay, _timeProvider) : Task.CompletedTask;

    private static Task AnswerAsync(HttpResponse response, int status, StringValues errorType, byte[] body)
    {
        response.StatusCode = status;
        response.Headers[ErrorTypeHeader] = errorType;
        response.Headers.ContentType = Json;
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body).AsTask();
    }

    private static async Task<(string MessageId, bool TooLarge)> ReadBodyAsync(PipeReader reader)
    {
        while (true)
        {
            var result = await reader.ReadAsync().ConfigureAwait(false);
            var buffer = result.Buffer;
            if (buffer.Length > MaxPayloadBytes)
            {
                reader.AdvanceTo(buffer.End);
                return ("", true);
            }
            if (result.IsCompleted)
            {
                var messageId = MessageIdReader.Read(buffer);
                reader.AdvanceTo(buffer.End);
                return (messageId, false);
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }
}
