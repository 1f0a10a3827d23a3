using System.Net.WebSockets;
using Microsoft.Extensions.Time.Testing;
using Realtime.Local.Hosting;
using Realtime.Local.Tests.Infrastructure;

namespace Realtime.Local.Tests.Functional;

/// <summary>A gateway on a fake clock, with API Gateway's default limits: 10 minutes idle, 2 hours at most.</summary>
public sealed class FakeClockFixture : GatewayFixture
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override string Template => "gateway.json";

    protected override void Configure(LocalGatewayOptions options) => options.TimeProvider = Clock;
}

/// <summary>
/// The idle timeout and the maximum duration close with 1001 "Going away". Idle means no data message in either
/// direction: messages from the client and posts to it both count. The clock is fake, so no test waits minutes.
/// </summary>
public sealed class TimeoutTests(FakeClockFixture fixture) : IClassFixture<FakeClockFixture>
{
    private static readonly TimeSpan Sweep = TimeSpan.FromSeconds(1); // the sweep period at these limits

    private async Task<(ClientWebSocket Socket, string ConnectionId)> OpenAsync(string marker)
    {
        var socket = await fixture.ConnectAsync($"marker={marker}");
        return (socket, (await fixture.ConnectEventAsync(marker)).ConnectionId!);
    }

    /// <summary>Proves the connection is still open: a two-way round trip.</summary>
    private static async Task AssertOpenAsync(ClientWebSocket socket, string marker)
    {
        await socket.SendTextAsync($$"""{"action":"echo","marker":"{{marker}}"}""");
        Assert.Equal($$"""echo:{"action":"echo","marker":"{{marker}}"}""", await socket.ReceiveTextAsync());
    }

    [Fact]
    public async Task An_idle_connection_is_closed_after_ten_minutes_with_going_away()
    {
        var (socket, id) = await OpenAsync("idle");
        using var _ = socket;

        fixture.Clock.Advance(TimeSpan.FromMinutes(10) + Sweep);

        Assert.Equal((1001, "Going away"), await socket.ReceiveCloseAsync());
        var disconnect = await fixture.Recorder.WaitAsync(id, "DISCONNECT").DefaultTimeout();
        Assert.Equal(1001, disconnect.Context.GetProperty("disconnectStatusCode").GetInt32());
        Assert.Equal("Going away", disconnect.Context.GetProperty("disconnectReason").GetString());
    }

    [Fact]
    public async Task A_message_from_the_client_resets_the_idle_timer()
    {
        var (socket, _) = await OpenAsync("idle-client");
        using var __ = socket;

        fixture.Clock.Advance(TimeSpan.FromMinutes(9));
        await AssertOpenAsync(socket, "at-9");
        fixture.Clock.Advance(TimeSpan.FromMinutes(9));
        await AssertOpenAsync(socket, "at-18");

        fixture.Clock.Advance(TimeSpan.FromMinutes(10) + Sweep);
        Assert.Equal((1001, "Going away"), await socket.ReceiveCloseAsync());
    }

    [Fact]
    public async Task A_post_to_the_client_resets_the_idle_timer()
    {
        var (socket, id) = await OpenAsync("idle-post");
        using var _ = socket;
        using var http = new HttpClient();

        fixture.Clock.Advance(TimeSpan.FromMinutes(9));
        await http.PostAsync(ConnectionsApi.Url(fixture.Gateway, id), new StringContent("keep-alive")).DefaultTimeout();
        Assert.Equal("keep-alive", await socket.ReceiveTextAsync());
        fixture.Clock.Advance(TimeSpan.FromMinutes(9));

        using var get = await http.GetAsync(ConnectionsApi.Url(fixture.Gateway, id)).DefaultTimeout();
        Assert.Equal(200, (int)get.StatusCode);
    }

    [Fact]
    public async Task An_active_connection_is_closed_after_two_hours_with_going_away()
    {
        var (socket, id) = await OpenAsync("max-duration");
        using var _ = socket;

        for (var minute = 0; minute < 117; minute += 9)
        {
            fixture.Clock.Advance(TimeSpan.FromMinutes(9));
            await AssertOpenAsync(socket, $"minute-{minute}");
        }
        fixture.Clock.Advance(TimeSpan.FromMinutes(3) + Sweep);

        Assert.Equal((1001, "Going away"), await socket.ReceiveCloseAsync());
        var disconnect = await fixture.Recorder.WaitAsync(id, "DISCONNECT").DefaultTimeout();
        Assert.Equal("Going away", disconnect.Context.GetProperty("disconnectReason").GetString());
    }
}

/// <summary>Timeouts given as options: short real values, as a test suite would configure them.</summary>
public sealed class ShortTimeoutsFixture : GatewayFixture
{
    protected override string Template => "gateway.json";

    protected override void Configure(LocalGatewayOptions options)
    {
        options.IdleTimeout = TimeSpan.FromMilliseconds(300);
        options.IntegrationTimeout = TimeSpan.FromMilliseconds(300);
    }
}

public sealed class ConfiguredTimeoutTests(ShortTimeoutsFixture fixture) : IClassFixture<ShortTimeoutsFixture>
{
    [Fact]
    public async Task A_configured_idle_timeout_closes_with_going_away()
    {
        using var socket = await fixture.ConnectAsync("marker=short-idle");

        Assert.Equal((1001, "Going away"), await socket.ReceiveCloseAsync());
    }

    [Fact]
    public async Task A_connect_function_past_the_integration_timeout_fails_the_handshake_with_504()
    {
        Assert.Equal(504, await fixture.RejectedStatusAsync("slow=1"));
    }
}
