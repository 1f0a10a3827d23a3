using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Realtime.Connect.Hosting;
using Realtime.Connect.Hosting.Metrics;
using Realtime.Connect.Management;
using Realtime.Testing;
using Realtime.Testing.Connections;
using Realtime.Testing.Functions;

namespace Realtime.Connect.Tests.Management;

/// <summary>@connections calls carry the invocation's trace and count its retries and throttles, signatures intact.</summary>
public sealed class ConnectionsTracingTests : IAsyncLifetime
{
    private const string Trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";

    private readonly BackoffSkippingTimeProvider _time = new();
    private LoopbackConnectionsServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await LoopbackConnectionsServer.StartAsync(new LoopbackConnectionsServer.Options(Clock: _time)).DefaultTimeout();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task The_trace_header_reaches_the_endpoint_and_the_signature_still_verifies()
    {
        _server.Connect("QrStUvWxYzAbCdE=");
        InvocationContext.Current = new InvocationContext("req-1", DateTimeOffset.UtcNow.AddMinutes(1), Trace);

        var result = await Client().PostAsync(new ConnectionTarget(_server.Endpoint, "QrStUvWxYzAbCdE="), Encoding.UTF8.GetBytes("hello"), CancellationToken.None).DefaultTimeout();

        Assert.Equal(ConnectionsStatus.Ok, result.Status);
        var call = Assert.Single(_server.Calls);
        Assert.Equal(Trace, call.TraceHeader);
        Assert.DoesNotContain("x-amzn-trace-id", call.Authorization, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Without_a_trace_no_header_is_sent()
    {
        _server.Connect("QrStUvWxYzAbCdE=");
        InvocationContext.Current = null;

        await Client().PostAsync(new ConnectionTarget(_server.Endpoint, "QrStUvWxYzAbCdE="), Encoding.UTF8.GetBytes("hello"), CancellationToken.None).DefaultTimeout();

        Assert.Null(Assert.Single(_server.Calls).TraceHeader);
    }

    [Fact]
    public async Task A_throttled_post_counts_one_throttle_and_one_retry()
    {
        _server.Connect("QrStUvWxYzAbCdE=");
        _server.Script("QrStUvWxYzAbCdE=", ConnectionsAnswer.Throttled);
        var captured = new CapturedMetrics();

        using (new FunctionMetrics(FunctionMetrics.Publish, captured).Start())
        {
            await Client().PostAsync(new ConnectionTarget(_server.Endpoint, "QrStUvWxYzAbCdE="), Encoding.UTF8.GetBytes("hello"), CancellationToken.None).DefaultTimeout();
        }

        var line = Assert.Single(captured.Lines);
        Assert.Equal(1, line.GetProperty("ConnectionsThrottles").GetDouble());
        Assert.Equal(1, line.GetProperty("ConnectionsRetries").GetDouble());
    }

    private ConnectionsClient Client() =>
        new(new ConnectionsClientOptions { Randomizer = static () => 0 }, _time, NullLogger.Instance);
}
