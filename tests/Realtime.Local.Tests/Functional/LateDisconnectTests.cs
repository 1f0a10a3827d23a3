using System.Net;
using Microsoft.Extensions.Time.Testing;
using Realtime.Local.Hosting;
using Realtime.Local.Tests.Infrastructure;

namespace Realtime.Local.Tests.Functional;

public sealed class LateDisconnectFixture : GatewayFixture
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override string Template => "gateway.json";

    protected override void Configure(LocalGatewayOptions options)
    {
        options.TimeProvider = Clock;
        options.DisconnectDelay = TimeSpan.FromMinutes(1);
    }
}

/// <summary>
/// $disconnect delivered late, as API Gateway may: until it comes, the connection is already gone for @connections,
/// which is what a backend sees on AWS between a close and a late (or missing) $disconnect.
/// </summary>
public sealed class LateDisconnectTests(LateDisconnectFixture fixture) : IClassFixture<LateDisconnectFixture>
{
    [Fact]
    public async Task Disconnect_comes_after_the_configured_delay_and_the_connection_is_gone_before_it()
    {
        using var socket = await fixture.ConnectAsync("marker=late-disconnect");
        var id = (await fixture.ConnectEventAsync("late-disconnect")).ConnectionId!;

        await socket.CloseAsync(1000, "");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var posted = await http.PostAsync(new Uri(fixture.Gateway.ConnectionsUri + "/" + Uri.EscapeDataString(id)), new StringContent("late")).DefaultTimeout();

        Assert.Equal(HttpStatusCode.Gone, posted.StatusCode);
        Assert.Empty(fixture.Recorder.All(e => e.ConnectionId == id && e.EventType == "DISCONNECT"));

        fixture.Clock.Advance(TimeSpan.FromMinutes(1));
        var disconnect = await fixture.Recorder.WaitAsync(e => e.ConnectionId == id && e.EventType == "DISCONNECT").DefaultTimeout();
        Assert.Equal(1000, disconnect.Context.GetProperty("disconnectStatusCode").GetInt32());
    }
}
