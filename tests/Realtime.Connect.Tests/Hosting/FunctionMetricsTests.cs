using Microsoft.Extensions.Time.Testing;
using Realtime.Connect.Functions;
using Realtime.Connect.Hosting;
using Realtime.Connect.Hosting.Metrics;
using Realtime.Connect.Registry;
using Realtime.Testing;
using Realtime.Testing.Functions;

namespace Realtime.Connect.Tests.Hosting;

/// <summary>Each invocation writes one embedded metric format line with what it counted.</summary>
public sealed class FunctionMetricsTests
{
    private readonly CapturedMetrics _metrics = new();
    private readonly InMemoryConnectionRegistry _registry = new();

    [Fact]
    public async Task A_connect_writes_one_line_counting_the_opened_connection()
    {
        var function = new ConnectFunction(_registry, metrics: _metrics);

        await ProxyEvents.InvokeAsync(function.FunctionHandler, ProxyEvents.Connect("QrStUvWxYzAbCdE=", principalId: "alice"));

        var line = Assert.Single(_metrics.Lines);
        var directive = Assert.Single(line.GetProperty("_aws").GetProperty("CloudWatchMetrics").EnumerateArray());
        Assert.Equal("Realtime", directive.GetProperty("Namespace").GetString());
        Assert.Equal([["Function"]], directive.GetProperty("Dimensions").EnumerateArray().Select(set => set.EnumerateArray().Select(d => d.GetString()).ToArray()));
        var metric = Assert.Single(directive.GetProperty("Metrics").EnumerateArray());
        Assert.Equal(("ConnectionsOpened", "Count"), (metric.GetProperty("Name").GetString(), metric.GetProperty("Unit").GetString()));
        Assert.Equal("connect", line.GetProperty("Function").GetString());
        Assert.Equal(1, line.GetProperty("ConnectionsOpened").GetDouble());
    }

    [Fact]
    public async Task A_disconnect_counts_a_closed_connection_only_when_it_forgot_one()
    {
        var function = new DisconnectFunction(_registry, metrics: _metrics);
        await _registry.AddAsync(new Connection("gone=", null, DateTimeOffset.UtcNow, ProxyEvents.DomainName, ProxyEvents.Stage, null), CancellationToken.None).DefaultTimeout();

        await ProxyEvents.InvokeAsync(function.FunctionHandler, ProxyEvents.Disconnect("gone="));
        await ProxyEvents.InvokeAsync(function.FunctionHandler, ProxyEvents.Disconnect("gone="));

        Assert.Equal([1d, 0d], _metrics.Lines.Select(line => line.GetProperty("ConnectionsClosed").GetDouble()));
        Assert.All(_metrics.Lines, line => Assert.Equal("disconnect", line.GetProperty("Function").GetString()));
    }

    [Fact]
    public void A_line_is_stamped_in_milliseconds_and_names_the_invocation()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_764_400_000_123));
        var metrics = new FunctionMetrics(FunctionMetrics.Publish, _metrics, time);
        InvocationContext.Current = new InvocationContext("req-1", time.GetUtcNow().AddMinutes(1), "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1");
        try
        {
            using (metrics.Start())
            {
                InvocationMetrics.Current!.Observe(Metric.PublishLatency, 12);
                InvocationMetrics.Current!.Observe(Metric.PublishLatency, 30);
                InvocationMetrics.Current!.Count(Metric.Deliveries, 3);
                InvocationMetrics.Current!.Count(Metric.Deliveries, 2);
            }
        }
        finally
        {
            InvocationContext.Current = null;
        }

        var line = Assert.Single(_metrics.Lines);
        Assert.Equal(1_764_400_000_123, line.GetProperty("_aws").GetProperty("Timestamp").GetInt64());
        Assert.Equal([12d, 30d], line.GetProperty("PublishLatency").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal(5, line.GetProperty("Deliveries").GetDouble());
        Assert.Equal("req-1", line.GetProperty("requestId").GetString());
        Assert.Equal("1-5759e988-bd862e3fe1be46a994272793", line.GetProperty("traceId").GetString());
        Assert.Null(InvocationMetrics.Current);
    }

    [Fact]
    public async Task A_malformed_event_counts_nothing_and_writes_no_line()
    {
        var function = new ConnectFunction(_registry, metrics: _metrics);

        await ProxyEvents.InvokeAsync(function.FunctionHandler, "{not json");

        Assert.Empty(_metrics.Lines);
    }
}
