using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Time.Testing;
using Realtime.Connect.Hosting.Metrics;
using Realtime.Local.Metrics;
using Realtime.Testing;

namespace Realtime.Local.Tests.Metrics;

/// <summary>GET /metrics: what the functions counted since start, for callers on this machine.</summary>
public sealed class MetricsEndpointTests : IAsyncLifetime
{
    private readonly MetricsSummary _summary = new(new FakeTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero)));
    private WebApplication _app = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        _app = builder.Build();
        _app.MapMetrics(_summary);
        await _app.StartAsync().DefaultTimeout();
    }

    [Fact]
    public async Task Counts_are_summed_by_function_and_metric_and_messages_also_by_route()
    {
        Record("connect", null, (Metric.ConnectionsOpened, [1]));
        Record("connect", null, (Metric.ConnectionsOpened, [1]));
        Record("message", "send", (Metric.Messages, [1]), (Metric.Deliveries, [3]));
        Record("message", "ping", (Metric.Messages, [1]));
        Record("publish", null, (Metric.PublishLatency, [10, 30]));

        var (status, body) = await GetAsync(IPAddress.Loopback).DefaultTimeout();

        Assert.Equal(200, status);
        Assert.Equal(
            [
                "Realtime metrics since 2026-01-02T03:04:05Z, as the functions report them to CloudWatch (namespace Realtime)",
                "connect     ConnectionsOpened           2",
                "message     Deliveries                  3",
                "message     Messages                    2",
                "message     Messages Route=ping         1",
                "message     Messages Route=send         1",
                "publish     PublishLatency              2 samples, average 20.0, max 30.0 (Milliseconds)",
            ],
            body.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task A_caller_from_another_machine_is_refused()
    {
        var (status, _) = await GetAsync(IPAddress.Parse("203.0.113.9")).DefaultTimeout();

        Assert.Equal(403, status);
    }

    private void Record(string function, string? route, params (Metric Metric, double[] Values)[] values) =>
        _summary.Write(new MetricsRecord(function, route, DateTimeOffset.UnixEpoch,
            values.Select(v => KeyValuePair.Create(v.Metric, (IReadOnlyList<double>)v.Values)).ToList(), null, null));

    private async Task<(int Status, string Body)> GetAsync(IPAddress remote)
    {
        var context = await _app.GetTestServer().SendAsync(http =>
        {
            http.Connection.RemoteIpAddress = remote;
            http.Request.Method = "GET";
            http.Request.Path = "/metrics";
        }).DefaultTimeout();
        using var reader = new StreamReader(context.Response.Body);
        return (context.Response.StatusCode, await reader.ReadToEndAsync().DefaultTimeout());
    }

    public async Task DisposeAsync() => await _app.DisposeAsync().AsTask().DefaultTimeout();
}
