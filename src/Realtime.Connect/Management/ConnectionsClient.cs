using System.Net;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;
using Realtime.Connect.Hosting;
using Realtime.Connect.Hosting.Metrics;
using Realtime.Connect.Management.Internal;

namespace Realtime.Connect.Management;

/// <summary>
/// The API Gateway Management API over HTTP: SigV4-signed (service <c>execute-api</c>) requests to
/// <c>{endpoint}/@connections/{connectionId}</c> through one process-wide HttpClient, each call inside a Polly
/// pipeline that retries 429, 5xx, timeouts and transport errors and never outlives its deadline. Talks to AWS
/// (https, credentials from the SDK's default chain) and to the local host (http, fixed local credentials) alike.
/// </summary>
public sealed class ConnectionsClient : IConnectionsClient
{
    private readonly ConnectionsClientOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly HttpClient _http;
    private readonly ConnectionsSigner _signer;
    private readonly ResiliencePipeline<AttemptResult> _pipeline;

    /// <summary>Configured from the environment (<c>AWS_REGION</c>); what a Lambda function uses.</summary>
    public ConnectionsClient()
        : this(ConnectionsClientOptions.FromEnvironment(), TimeProvider.System, NullLogger<ConnectionsClient>.Instance)
    {
    }

    [ActivatorUtilitiesConstructor]
    public ConnectionsClient(IOptions<ConnectionsClientOptions> options, ILogger<ConnectionsClient> logger, TimeProvider? timeProvider = null)
        : this(options.Value, timeProvider ?? TimeProvider.System, logger)
    {
    }

    public ConnectionsClient(ConnectionsClientOptions options, TimeProvider timeProvider, ILogger logger)
        : this(options, timeProvider, logger, ConnectionsHttp.Shared)
    {
    }

    internal ConnectionsClient(ConnectionsClientOptions options, TimeProvider timeProvider, ILogger logger, HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Validated();
        _timeProvider = timeProvider;
        _logger = logger;
        _http = http;
        _signer = new ConnectionsSigner(options);
        _pipeline = ConnectionsPipeline.Create(options, timeProvider, logger);
    }

    /// <summary>
    /// A view of this client whose calls all end by <paramref name="deadline"/> (e.g. the Lambda invocation's
    /// deadline less a margin), retries included. Shares the connection pool and pipeline; cheap to create per event.
    /// </summary>
    public IConnectionsClient WithDeadline(DateTimeOffset deadline) => new DeadlineBound(this, deadline);

    public ValueTask<ConnectionsResult> PostAsync(ConnectionTarget target, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        PostAsync(target, data, null, cancellationToken);

    public ValueTask<ConnectionsResult<ConnectionInfo>> GetAsync(ConnectionTarget target, CancellationToken cancellationToken) =>
        GetAsync(target, null, cancellationToken);

    public ValueTask<ConnectionsResult> DeleteAsync(ConnectionTarget target, CancellationToken cancellationToken) =>
        DeleteAsync(target, null, cancellationToken);

    private ValueTask<ConnectionsResult> PostAsync(ConnectionTarget target, ReadOnlyMemory<byte> data, DateTimeOffset? deadline, CancellationToken cancellationToken)
    {
        // API Gateway would answer 413; no need to send 128 KB to hear it.
        if (data.Length > ConnectionsClientOptions.MaxPayloadBytes)
        {
            return ValueTask.FromResult(new ConnectionsResult(ConnectionsStatus.PayloadTooLarge, 0, 0));
        }
        return Complete(SendAsync(HttpMethod.Post, target, data, deadline, cancellationToken));
    }

    private async ValueTask<ConnectionsResult<ConnectionInfo>> GetAsync(ConnectionTarget target, DateTimeOffset? deadline, CancellationToken cancellationToken)
    {
        var (result, info) = await SendAsync(HttpMethod.Get, target, ReadOnlyMemory<byte>.Empty, deadline, cancellationToken).ConfigureAwait(false);
        return new ConnectionsResult<ConnectionInfo>(result, info);
    }

    private ValueTask<ConnectionsResult> DeleteAsync(ConnectionTarget target, DateTimeOffset? deadline, CancellationToken cancellationToken) =>
        Complete(SendAsync(HttpMethod.Delete, target, ReadOnlyMemory<byte>.Empty, deadline, cancellationToken));

    private static async ValueTask<ConnectionsResult> Complete(ValueTask<(ConnectionsResult Result, ConnectionInfo? Info)> call) =>
        (await call.ConfigureAwait(false)).Result;

    private async ValueTask<(ConnectionsResult Result, ConnectionInfo? Info)> SendAsync(
        HttpMethod method, ConnectionTarget target, ReadOnlyMemory<byte> body, DateTimeOffset? deadline, CancellationToken cancellationToken)
    {
        var uri = ConnectionsUri.For(target);
        var now = _timeProvider.GetUtcNow();
        var limit = now + _options.TotalTimeout;
        var call = new ConnectionsCall(method, target.ConnectionId, uri, body, ConnectionsSigner.PayloadHash(body.Span),
            deadline is { } given && given < limit ? given : limit);
        if (call.Deadline <= now) return (new ConnectionsResult(ConnectionsStatus.TimedOut, 0, 0), null);

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(ConnectionsPipeline.CallKey, call);
        Outcome<AttemptResult> outcome;
        try
        {
            outcome = await _pipeline.ExecuteOutcomeAsync(
                static (ctx, state) => state.Client.AttemptAsync(state.Call, ctx.CancellationToken),
                context,
                (Client: this, Call: call)).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        AttemptResult last;
        switch (outcome.Exception)
        {
            case null:
                last = outcome.Result;
                break;
            case TimeoutRejectedException:
                call.Timeouts++;
                last = new AttemptResult(ConnectionsStatus.TimedOut, 0);
                break;
            default:
                // The caller's cancellation, or a configuration fault (no credentials, no region): not a result.
                cancellationToken.ThrowIfCancellationRequested();
                ExceptionDispatchInfo.Throw(outcome.Exception);
                throw outcome.Exception;
        }

        var result = new ConnectionsResult(last.Status, last.HttpStatusCode, call.Attempts, last.ErrorType, call.Throttles, call.Timeouts);
        if (last.Status == ConnectionsStatus.Gone) ConnectionsClientLog.Gone(_logger, method.Method, target.ConnectionId);
        else if (last.Status != ConnectionsStatus.Ok) ConnectionsClientLog.CallFailed(_logger, method.Method, target.ConnectionId, last.Status, last.HttpStatusCode, last.ErrorType, call.Attempts);
        return (result, last.Info);
    }

    private async ValueTask<Outcome<AttemptResult>> AttemptAsync(ConnectionsCall call, CancellationToken cancellationToken)
    {
        call.Attempts++;
        using var request = new HttpRequestMessage(call.Method, call.Uri) { Version = HttpVersion.Version11 };
        if (call.Method == HttpMethod.Post) request.Content = new ReadOnlyMemoryContent(call.Body);

        // Signed per attempt: every retry carries its own X-Amz-Date.
        var headers = await _signer.SignAsync(call.Method, call.Uri, call.PayloadHash, _timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        // Added after signing and left unsigned, as the AWS SDKs do: X-Ray may rewrite it on the way.
        if (TraceHeader.Current() is { } trace) request.Headers.TryAddWithoutValidation(TraceHeader.Name, trace);

        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var httpStatusCode = (int)response.StatusCode;
            if (httpStatusCode == 429)
            {
                call.Throttles++;
                InvocationMetrics.Current?.Count(Metric.ConnectionsThrottles);
            }
            var status = ConnectionsResponse.StatusOf(httpStatusCode);
            var errorType = ConnectionsResponse.ErrorTypeOf(response.Headers);
            if (status != ConnectionsStatus.Ok || call.Method != HttpMethod.Get)
            {
                return Outcome.FromResult(new AttemptResult(status, httpStatusCode, errorType));
            }

            var info = await ReadConnectionAsync(response, cancellationToken).ConfigureAwait(false);
            return Outcome.FromResult(info is null
                ? new AttemptResult(ConnectionsStatus.ServerError, httpStatusCode, "InvalidResponseException")
                : new AttemptResult(ConnectionsStatus.Ok, httpStatusCode, errorType, info));
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            return Outcome.FromResult(new AttemptResult(ConnectionsStatus.TransportError, 0, ex.GetType().Name));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Cancelled by the handler itself (its connect timeout), not by the pipeline or the caller.
            call.Timeouts++;
            return Outcome.FromResult(new AttemptResult(ConnectionsStatus.TimedOut, 0));
        }
    }

    private static async ValueTask<ConnectionInfo?> ReadConnectionAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            try
            {
                var document = await JsonSerializer.DeserializeAsync(stream, ManagementJsonContext.Default.ConnectionDocument, cancellationToken).ConfigureAwait(false);
                return document is null
                    ? null
                    : new ConnectionInfo(document.ConnectedAt, document.LastActiveAt, document.Identity?.SourceIp, document.Identity?.UserAgent);
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }

    private sealed class DeadlineBound(ConnectionsClient client, DateTimeOffset deadline) : IConnectionsClient
    {
        public ValueTask<ConnectionsResult> PostAsync(ConnectionTarget target, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
            client.PostAsync(target, data, deadline, cancellationToken);

        public ValueTask<ConnectionsResult<ConnectionInfo>> GetAsync(ConnectionTarget target, CancellationToken cancellationToken) =>
            client.GetAsync(target, deadline, cancellationToken);

        public ValueTask<ConnectionsResult> DeleteAsync(ConnectionTarget target, CancellationToken cancellationToken) =>
            client.DeleteAsync(target, deadline, cancellationToken);
    }
}
