using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Realtime.Connect.Registry;
using Realtime.Router.Functions;
using Realtime.Router.Tests.Routes;
using Realtime.Testing;
using Realtime.Testing.Functions;

namespace Realtime.Router.Tests.Functions;

/// <summary>The message and publish functions write one embedded metric format line per invocation.</summary>
public sealed class RouterMetricsTests : IDisposable
{
    private readonly RouterHarness _router = new();

    [Fact]
    public async Task A_send_counts_the_message_by_route_its_deliveries_and_the_gone_subscriber()
    {
        await JoinAsync("a=", "alice", "room:lobby");
        await JoinAsync("b=", "bob", "room:lobby");
        await JoinAsync("g=", "gina", "room:lobby");
        _router.Connections.Gone["g="] = true;

        await _router.SendAsync("a=", "alice", """{"action":"send","topic":"room:lobby","data":{"text":"hi"},"id":"4"}""").DefaultTimeout();

        var line = Assert.Single(_router.Metrics.Lines);
        Assert.Equal(("message", "send"), (line.GetProperty("Function").GetString(), line.GetProperty("Route").GetString()));
        Assert.Equal(1, line.GetProperty("Messages").GetDouble());
        Assert.Equal(2, line.GetProperty("Deliveries").GetDouble());
        Assert.Equal(1, line.GetProperty("GoneConnections").GetDouble());
        var directives = line.GetProperty("_aws").GetProperty("CloudWatchMetrics").EnumerateArray().ToList();
        Assert.Equal(2, directives.Count);
        Assert.Equal(["Function", "Route"], directives[1].GetProperty("Dimensions")[0].EnumerateArray().Select(d => d.GetString()));
        Assert.Equal("Messages", Assert.Single(directives[1].GetProperty("Metrics").EnumerateArray()).GetProperty("Name").GetString());
    }

    [Fact]
    public async Task A_message_over_the_rate_is_counted_as_rate_limited()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using var router = new RouterHarness(new InMemoryConnectionRegistry(new RegistryOptions(), time), rateLimit: new MessageRateLimit(PerConnection: 1, PerUser: 0));
        await router.Registry.AddAsync(new Connection("a=", "alice", time.GetUtcNow(), ProxyEvents.DomainName, ProxyEvents.Stage, null), CancellationToken.None).DefaultTimeout();

        await router.SendAsync("a=", "alice", """{"action":"ping","id":"1"}""").DefaultTimeout();
        await router.SendAsync("a=", "alice", """{"action":"ping","id":"2"}""").DefaultTimeout();

        var lines = router.Metrics.Lines;
        Assert.Equal(2, lines.Count);
        Assert.False(lines[0].TryGetProperty("RateLimited", out _));
        Assert.Equal(1, lines[1].GetProperty("RateLimited").GetDouble());
        Assert.All(lines, line => Assert.Equal("ping", line.GetProperty("Route").GetString()));
    }

    [Fact]
    public async Task A_publish_batch_writes_one_line_with_a_latency_per_record()
    {
        await JoinAsync("a=", "alice", "wishlist:42");
        await JoinAsync("b=", "bob", "wishlist:42");
        var function = ActivatorUtilities.CreateInstance<PublishFunction>(_router.Services);
        var input = new
        {
            Records = new[]
            {
                new { messageId = "m1", body = """{"topic":"wishlist:42","event":"item_added"}""", eventSource = "aws:sqs" },
                new { messageId = "m2", body = """{"topic":"wishlist:42","event":"item_removed"}""", eventSource = "aws:sqs" },
            },
        };

        await function.FunctionHandler(new MemoryStream(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(input)))).DefaultTimeout();

        var line = Assert.Single(_router.Metrics.Lines);
        Assert.Equal("publish", line.GetProperty("Function").GetString());
        Assert.Equal(4, line.GetProperty("Deliveries").GetDouble());
        Assert.Equal(2, line.GetProperty("PublishLatency").GetArrayLength());
        Assert.All(line.GetProperty("PublishLatency").EnumerateArray(), latency => Assert.True(latency.GetDouble() >= 0));
        var latencyUnit = line.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0].GetProperty("Metrics").EnumerateArray()
            .Single(m => m.GetProperty("Name").GetString() == "PublishLatency").GetProperty("Unit").GetString();
        Assert.Equal("Milliseconds", latencyUnit);
    }

    private async Task JoinAsync(string connectionId, string user, string topic)
    {
        await _router.ConnectAsync(connectionId, user).DefaultTimeout();
        await _router.Registry.SubscribeAsync(connectionId, topic, CancellationToken.None).DefaultTimeout();
    }

    public void Dispose() => _router.Dispose();
}
