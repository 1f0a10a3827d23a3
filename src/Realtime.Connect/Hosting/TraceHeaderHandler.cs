using Realtime.Connect.Hosting;

namespace Realtime.Connect.Hosting;

/// <summary>
/// Adds the invocation's X-Ray trace header to every DynamoDB request, so a slow or failed call shows in the trace.
/// The SDK signs before this runs and does not sign the header; a header the SDK already set is left alone.
/// </summary>
internal sealed class TraceHeaderHandler : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Headers.Contains(TraceHeader.Name) && TraceHeader.Current() is { } trace)
        {
            request.Headers.TryAddWithoutValidation(TraceHeader.Name, trace);
        }
        return base.SendAsync(request, cancellationToken);
    }
}
