using System.Net.WebSockets;
using Microsoft.AspNetCore.SignalR.Client;
using Realtime.Local.Tests.Infrastructure;

namespace Realtime.Local.Tests.Functional;

/// <summary>
/// One connection runs at most <see cref="BackpressureFixture.Bound"/> invocations at once: beyond that its socket is
/// not read until one finishes, so nothing is dropped, every message runs later, and other connections go on.
/// </summary>
public sealed class BackpressureTests(BackpressureFixture fixture) : IClassFixture<BackpressureFixture>
{
    private const int Bound = BackpressureFixture.Bound;
    private const string HoldMessage = """{"action":"hold"}""";

    private InvocationHold Hold => fixture.Hold;

    private async Task<(ClientWebSocket Socket, string ConnectionId)> OpenAsync(string marker)
    {
        var socket = await fixture.ConnectAsync($"marker={marker}");
        return (socket, (await fixture.ConnectEventAsync(marker)).ConnectionId!);
    }

    private static async Task SendHoldsAsync(WebSocket socket, int count)
    {
        for (var i = 0; i < count; i++) await socket.SendTextAsync(HoldMessage);
    }

    /// <summary>
    /// Lets the connection's invocations finish one at a time: each time, exactly the bound must be running (fewer only
    /// when fewer are left), since the host reads one more message for each that finishes.
    /// </summary>
    private async Task<InvocationHold.Counts> ReleaseOneByOneAsync(string connectionId, int total)
    {
        for (var finished = 0; finished < total; finished++)
        {
            var expected = Math.Min(Bound, total - finished);
            var counts = await Hold.WaitAsync(connectionId, c => c.Finished == finished && c.Running >= expected).DefaultTimeout();
            Assert.True(counts.Running == expected, $"{counts.Running} running after {finished} finished; at most {Bound} may run at once.");
            Hold.ReleaseOne(connectionId);
        }
        return await Hold.WaitAsync(connectionId, c => c.Finished == total).DefaultTimeout();
    }

    [Fact]
    public async Task A_thousand_messages_run_at_most_the_bound_at_once_and_all_of_them_run()
    {
        var (socket, id) = await OpenAsync("backlog");
        using var _ = socket;

        var sending = SendHoldsAsync(socket, 1000);
        await Hold.WaitAsync(id, c => c.Running == Bound).DefaultTimeout();
        await sending.DefaultTimeout(); // the host's buffers take what it does not read yet
        var counts = await ReleaseOneByOneAsync(id, 1000);

        Assert.Equal(Bound, counts.Most);
        Assert.Equal(0, counts.Running);
        Assert.Equal(WebSocketState.Open, socket.State);
    }

    [Fact]
    public async Task Another_connection_is_not_held_up_by_a_backlog()
    {
        var (backlogged, backloggedId) = await OpenAsync("held-up");
        using var _ = backlogged;
        var sending = SendHoldsAsync(backlogged, 100);
        await Hold.WaitAsync(backloggedId, c => c.Running == Bound).DefaultTimeout();

        var (other, otherId) = await OpenAsync("beside-held-up");
        using var __ = other;
        await SendHoldsAsync(other, Bound);
        await Hold.WaitAsync(otherId, c => c.Running == Bound).DefaultTimeout();

        Assert.Equal(Bound, Hold.Of(backloggedId).Running);
        Hold.Release(otherId);
        Hold.Release(backloggedId);
        await sending.DefaultTimeout();
        await Hold.WaitAsync(backloggedId, c => c.Finished == 100).DefaultTimeout();
        await Hold.WaitAsync(otherId, c => c.Finished == Bound).DefaultTimeout();
    }

    [Fact]
    public async Task A_signalr_connection_is_bound_the_same_way()
    {
        await using var hub = new HubConnectionBuilder().WithUrl(new Uri(fixture.Gateway.HubUri + "?marker=signalr-backlog")).Build();
        await hub.StartAsync().DefaultTimeout();
        var id = (await fixture.ConnectEventAsync("signalr-backlog")).ConnectionId!;

        for (var i = 0; i < 200; i++) await hub.SendAsync("Send", HoldMessage).DefaultTimeout();
        await Hold.WaitAsync(id, c => c.Running == Bound).DefaultTimeout();
        // Meanwhile another connection does its own work, while this one's backlog stays unread.
        var (other, otherId) = await OpenAsync("beside-signalr-backlog");
        using var _ = other;
        await other.SendTextAsync(HoldMessage);
        await Hold.WaitAsync(otherId, c => c.Running == 1).DefaultTimeout();
        Hold.Release(otherId);

        Assert.Equal(Bound, Hold.Of(id).Running);
        var counts = await ReleaseOneByOneAsync(id, 200);

        Assert.Equal(Bound, counts.Most);
    }
}
