using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Realtime.Local.Metrics;

/// <summary>
/// <c>GET /metrics</c>: the metrics the functions would have reported to CloudWatch since the host started, as plain
/// text. Like <c>POST /publish</c>, for callers on this machine only: the counts describe its users' traffic.
/// </summary>
public static class MetricsEndpoint
{
    public static IEndpointConventionBuilder MapMetrics(this IEndpointRouteBuilder endpoints, MetricsSummary summary) =>
        endpoints.MapGet("/metrics", (HttpContext http) =>
            http.Connection.RemoteIpAddress is { } remote && !IPAddress.IsLoopback(remote)
                ? Results.Text("GET /metrics answers only callers on this machine.\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status403Forbidden)
                : Results.Text(summary.Render(), "text/plain; charset=utf-8"));
}
