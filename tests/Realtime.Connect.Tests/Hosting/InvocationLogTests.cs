using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Realtime.Connect.Functions;
using Realtime.Connect.Hosting;
using Realtime.Connect.Registry;
using Realtime.Testing.Functions;

namespace Realtime.Connect.Tests.Hosting;

/// <summary>Every line a function writes names its invocation, its trace, its connection and its route.</summary>
public sealed class InvocationLogTests : IDisposable
{
    private const string Trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";

    private readonly CapturedLog _log = new();

    [Fact]
    public async Task A_function_line_carries_the_request_trace_connection_and_route()
    {
        var function = new ConnectFunction(new InMemoryConnectionRegistry(), logger: _log.For<ConnectFunction>());
        InvocationContext.Current = new InvocationContext("8476a536-e9f4-11e8-9739-2dfe598c3fcd", DateTimeOffset.UtcNow.AddMinutes(1), Trace);
        try
        {
            await ProxyEvents.InvokeAsync(function.FunctionHandler, ProxyEvents.Connect("QrStUvWxYzAbCdE=", principalId: "alice"));
        }
        finally
        {
            InvocationContext.Current = null;
        }

        var line = _log.Single("Connected");
        Assert.Equal("8476a536-e9f4-11e8-9739-2dfe598c3fcd", line.GetProperty("requestId").GetString());
        Assert.Equal("1-5759e988-bd862e3fe1be46a994272793", line.GetProperty("traceId").GetString());
        Assert.Equal("QrStUvWxYzAbCdE=", line.GetProperty("ConnectionId").GetString());
        Assert.Equal("$connect", line.GetProperty("RouteKey").GetString());
    }

    [Fact]
    public void Under_the_managed_runtime_the_trace_comes_from_the_environment_on_each_line()
    {
        var trace = "Root=1-aaaaaaaa-000000000000000000000001";
        var output = new MemoryStream();
        using var provider = new JsonLinesLoggerProvider(output, LogLevel.Information, name => name == TraceHeader.Variable ? trace : null);
        var logger = provider.CreateLogger("Test");

        logger.LogInformation("first");
        trace = "Root=1-aaaaaaaa-000000000000000000000002";
        logger.LogInformation("second");

        var lines = Lines(output);
        Assert.Equal(["1-aaaaaaaa-000000000000000000000001", "1-aaaaaaaa-000000000000000000000002"], lines.Select(l => l.GetProperty("traceId").GetString()));
        Assert.All(lines, l => Assert.False(l.TryGetProperty("requestId", out _)));
    }

    [Fact]
    public void Scope_values_become_properties_and_the_events_own_values_win()
    {
        var output = new MemoryStream();
        using var provider = new JsonLinesLoggerProvider(output, LogLevel.Information, _ => null);
        var logger = provider.CreateLogger("Test");

        using (logger.BeginScope(new KeyValuePair<string, object?>[] { new("ConnectionId", "outer="), new("RouteKey", "send") }))
        using (logger.BeginScope(new KeyValuePair<string, object?>[] { new("ConnectionId", "inner=") }))
        {
            logger.LogInformation("Posting to {ConnectionId}", "event=");
            logger.LogInformation("plain");
        }
        logger.LogInformation("after");

        var lines = Lines(output);
        Assert.Equal("event=", lines[0].GetProperty("ConnectionId").GetString());
        Assert.Equal("send", lines[0].GetProperty("RouteKey").GetString());
        Assert.Equal("inner=", lines[1].GetProperty("ConnectionId").GetString());
        Assert.False(lines[2].TryGetProperty("ConnectionId", out _));
    }

    private static List<JsonElement> Lines(MemoryStream output) =>
        Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();

    public void Dispose() => _log.Dispose();
}
