using System.Net;
using Realtime.Testing;

namespace Realtime.Local.Tests.EndToEnd;

/// <summary>The local host's functions count what they would report to CloudWatch, and GET /metrics shows it.</summary>
public sealed class MetricsTests(RealtimeHostFixture host) : IClassFixture<RealtimeHostFixture>
{
    [Fact]
    public async Task Connections_and_a_publish_show_in_the_metrics()
    {
        await using var alice = new Client(await host.ConnectAsync("alice-m"), "alice-m");
        await using var bob = new Client(await host.ConnectAsync("bob-m"), "bob-m");
        await alice.SubscribeAsync("wishlist:9");
        await bob.SubscribeAsync("wishlist:9");
        using (var published = await host.PublishAsync("""{"topic":"wishlist:9","event":"item_added"}"""))
        {
            Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        }

        using var response = await host.Http.GetAsync("/metrics").DefaultTimeout();
        var lines = (await response.Content.ReadAsStringAsync().DefaultTimeout()).Split('\n');

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("connect     ConnectionsOpened           2", lines);
        Assert.Contains("publish     Deliveries                  2", lines);
        Assert.Contains(lines, line => line.StartsWith("publish     PublishLatency              1 samples", StringComparison.Ordinal));
    }
}
