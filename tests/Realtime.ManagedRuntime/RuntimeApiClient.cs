using System.Net.Http.Headers;

namespace Realtime.ManagedRuntime;

/// <summary>One invocation as <c>/runtime/invocation/next</c> hands it out.</summary>
internal sealed record Invocation(string RequestId, DateTimeOffset Deadline, string? TraceId, byte[] Payload);

/// <summary>The Lambda Runtime API, version 2018-06-01, on <c>AWS_LAMBDA_RUNTIME_API</c> (host:port).</summary>
internal sealed class RuntimeApiClient(string runtimeApi) : IDisposable
{
    private const string ErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";

    // /next blocks until there is an invocation: no timeout on the long poll.
    private readonly HttpClient _http = new() { BaseAddress = new Uri($"http://{runtimeApi}/2018-06-01/"), Timeout = Timeout.InfiniteTimeSpan };

    public async Task<Invocation> NextAsync()
    {
        using var response = await _http.GetAsync("runtime/invocation/next");
        response.EnsureSuccessStatusCode();
        var headers = response.Headers;
        var requestId = headers.GetValues("Lambda-Runtime-Aws-Request-Id").Single();
        var deadline = headers.TryGetValues("Lambda-Runtime-Deadline-Ms", out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(ms.Single(), System.Globalization.CultureInfo.InvariantCulture))
            : DateTimeOffset.MaxValue;
        var traceId = headers.TryGetValues("Lambda-Runtime-Trace-Id", out var trace) ? trace.Single() : null;
        return new Invocation(requestId, deadline, traceId, await response.Content.ReadAsByteArrayAsync());
    }

    public async Task RespondAsync(string requestId, Stream output)
    {
        using var content = new StreamContent(output);
        using var response = await _http.PostAsync($"runtime/invocation/{requestId}/response", content);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>An invocation's error, with its type in <c>Lambda-Runtime-Function-Error-Type</c>.</summary>
    public Task ReportErrorAsync(string requestId, Exception exception)
    {
        var report = ErrorReport.From(exception);
        return PostErrorAsync($"runtime/invocation/{requestId}/error", report, ErrorReport.TypeOf(report));
    }

    /// <summary>An initialization error: posted without the error-type header, as the managed runtime does.</summary>
    public Task ReportInitErrorAsync(Exception exception) => PostErrorAsync("runtime/init/error", ErrorReport.From(exception), errorType: null);

    private async Task PostErrorAsync(string path, System.Text.Json.Nodes.JsonObject report, string? errorType)
    {
        using var content = new StringContent(report.ToJsonString(), System.Text.Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.aws.lambda.error+json");
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (errorType is not null) request.Headers.Add(ErrorTypeHeader, errorType);
        using var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    public void Dispose() => _http.Dispose();
}
