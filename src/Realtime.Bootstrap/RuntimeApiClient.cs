using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace Realtime.Bootstrap;

/// <summary>
/// The Lambda Runtime API, version 2018-06-01, at <c>AWS_LAMBDA_RUNTIME_API</c> (host:port): the next invocation,
/// its response or error, and an initialization error.
/// </summary>
internal sealed class RuntimeApiClient : IDisposable
{
    private const string ErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";
    private static readonly MediaTypeHeaderValue ErrorMediaType = new("application/vnd.aws.lambda.error+json");

    private readonly HttpClient _http;

    public RuntimeApiClient(string runtimeApi)
    {
        // No proxy: the Runtime API is on the sandbox's loopback, whatever HTTP_PROXY the function's own calls use.
        // No timeout: /next blocks until there is an invocation, however long the function stays idle.
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false })
        {
            BaseAddress = new Uri($"http://{runtimeApi}/2018-06-01/"),
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public async Task<Invocation> NextAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync("runtime/invocation/next", cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var headers = response.Headers;
        var requestId = headers.TryGetValues("Lambda-Runtime-Aws-Request-Id", out var ids) ? ids.First()
            : throw new HttpRequestException("The Runtime API handed out an invocation without Lambda-Runtime-Aws-Request-Id.");
        var deadline = headers.TryGetValues("Lambda-Runtime-Deadline-Ms", out var ms)
                       && long.TryParse(ms.First(), NumberStyles.None, CultureInfo.InvariantCulture, out var unixMs)
            ? DateTimeOffset.FromUnixTimeMilliseconds(unixMs)
            : DateTimeOffset.MaxValue;
        var traceId = headers.TryGetValues("Lambda-Runtime-Trace-Id", out var trace) ? trace.First() : null;
        var payload = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return new Invocation(requestId, deadline, traceId, payload);
    }

    /// <summary>Posts the function's response; the status tells whether Lambda took it (202).</summary>
    public Task<HttpStatusCode> RespondAsync(string requestId, Stream output, CancellationToken cancellationToken) =>
        PostAsync($"runtime/invocation/{requestId}/response", new ResponseContent(output), errorType: null, cancellationToken);

    public Task<HttpStatusCode> ReportErrorAsync(string requestId, ErrorReport report, CancellationToken cancellationToken) =>
        PostAsync($"runtime/invocation/{requestId}/error", ErrorContent(report), report.ErrorType, cancellationToken);

    /// <summary>The function could not be created: Lambda fails the init phase with this error and ends the process.</summary>
    public Task<HttpStatusCode> ReportInitErrorAsync(ErrorReport report, CancellationToken cancellationToken) =>
        PostAsync("runtime/init/error", ErrorContent(report), report.ErrorType, cancellationToken);

    private async Task<HttpStatusCode> PostAsync(string path, HttpContent content, string? errorType, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (errorType is not null) request.Headers.TryAddWithoutValidation(ErrorTypeHeader, errorType);
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        // 500 is the Runtime API's "container error": a state it documents as not recoverable, so the process ends.
        if (response.StatusCode >= HttpStatusCode.InternalServerError)
            throw new HttpRequestException($"The Runtime API answered {(int)response.StatusCode} to {path}.", null, response.StatusCode);
        return response.StatusCode;
    }

    private static ByteArrayContent ErrorContent(ErrorReport report)
    {
        var content = new ByteArrayContent(report.ToJson());
        content.Headers.ContentType = ErrorMediaType;
        return content;
    }

    public void Dispose() => _http.Dispose();
}
