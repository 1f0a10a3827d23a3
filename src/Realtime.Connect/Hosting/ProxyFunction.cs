using System.Text.Json;
using Microsoft.Extensions.Logging;
using Realtime.Connect.Contract;
using Realtime.Connect.Hosting.Metrics;

namespace Realtime.Connect.Hosting;

/// <summary>
/// The shared edge of every proxy-integrated function: reads the event, refuses a malformed one or one without a
/// connection id with a 400, turns any failure of the handler into a logged 500, and writes the response. Nothing
/// escapes as an unhandled exception, which Lambda would report as a function error and API Gateway as a 502 or an
/// "Internal server error" frame without a line in the function's own log. Around the handler, every log line carries
/// the event's <c>ConnectionId</c> and <c>RouteKey</c>, and what the invocation counted is written as one metrics line.
/// </summary>
public static class ProxyFunction
{
    public static async Task<Stream> InvokeAsync(
        Stream input, ILogger logger, FunctionDeadline deadline, FunctionMetrics metrics, Func<WebSocketProxyEvent, CancellationToken, Task<ProxyResponse>> handle)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(metrics);
        WebSocketProxyEvent? proxyEvent;
        try
        {
            proxyEvent = await JsonSerializer.DeserializeAsync(input, ApiGatewayJsonContext.Default.WebSocketProxyEvent).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            HostingLog.MalformedEvent(logger, e.Message);
            return Write(ProxyResponse.Status(400, "Malformed event"));
        }

        var connectionId = proxyEvent?.RequestContext.ConnectionId;
        if (proxyEvent is null || string.IsNullOrEmpty(connectionId))
        {
            HostingLog.MissingConnectionId(logger, proxyEvent?.RequestContext.RouteKey);
            return Write(ProxyResponse.Status(400, "The event has no requestContext.connectionId"));
        }

        using var scope = logger.BeginScope(new KeyValuePair<string, object?>[] { new("ConnectionId", connectionId), new("RouteKey", proxyEvent.RequestContext.RouteKey) });
        using var recording = metrics.Start();
        using var budget = deadline.Start();
        try
        {
            return Write(await handle(proxyEvent, budget.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested)
        {
            // Answered before Lambda stops the process, so the failure is this function's, logged, not a timeout.
            HostingLog.OutOfTime(logger, proxyEvent.RequestContext.RouteKey, connectionId);
            return Write(ProxyResponse.Status(504, "The function ran out of time"));
        }
        catch (Exception e)
        {
            HostingLog.HandlerFailed(logger, proxyEvent.RequestContext.RouteKey, connectionId, e);
            return Write(ProxyResponse.Status(500, "Internal server error"));
        }
    }

    public static Stream Write(ProxyResponse response) =>
        new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(response, ApiGatewayJsonContext.Default.ProxyResponse), writable: false);
}
