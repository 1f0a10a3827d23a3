using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using Realtime.Testing;

namespace Realtime.Local.Tests.EndToEnd;

/// <summary>SignalR and raw WebSocket clients share one gateway: a room message from one kind reaches the other.</summary>
public sealed class SignalRAndRawTests(RealtimeHostFixture host) : IClassFixture<RealtimeHostFixture>
{
    [Fact]
    public async Task ARoomMessageCrossesBetweenSignalRAndRawClients()
    {
        const string room = "room:mixed";
        var received = Channel.CreateUnbounded<string>();
        var token = await host.TokenAsync("signalr-sam").DefaultTimeout();
        await using var hub = new HubConnectionBuilder().WithUrl(new Uri(host.Gateway.HubUri + "?token=" + Uri.EscapeDataString(token))).Build();
        hub.On<string>("message", text => received.Writer.TryWrite(text));
        await hub.StartAsync().DefaultTimeout();
        await using var raw = new Client(await host.ConnectAsync("raw-rita"), "raw-rita");

        await hub.InvokeAsync("Send", $$"""{"action":"subscribe","topic":"{{room}}","id":"s1"}""").DefaultTimeout();
        Assert.Equal("""{"type":"ack","id":"s1"}""", await received.Reader.ReadAsync().AsTask().DefaultTimeout());
        await raw.SubscribeAsync(room);

        var (ack, _) = await raw.AnswerToAsync(await raw.RequestAsync("send", room, new { text = "hello from raw" }));
        Assert.Equal("ack", ack.GetProperty("type").GetString());
        var toHub = System.Text.Json.JsonDocument.Parse(await received.Reader.ReadAsync().AsTask().DefaultTimeout()).RootElement;
        Assert.Equal("raw-rita", toHub.GetProperty("from").GetString());
        Assert.Equal("hello from raw", toHub.GetProperty("data").GetProperty("text").GetString());

        await hub.InvokeAsync("Send", $$"""{"action":"send","topic":"{{room}}","data":{"text":"hello from hub"},"id":"s2"}""").DefaultTimeout();
        var toRaw = await raw.ReceiveAsync();
        Assert.Equal("signalr-sam", toRaw.GetProperty("from").GetString());
        Assert.Equal("hello from hub", toRaw.GetProperty("data").GetProperty("text").GetString());
    }

    [Fact]
    public async Task ASignalRClientWithoutATokenFailsToConnectWith401()
    {
        await using var hub = new HubConnectionBuilder().WithUrl(host.Gateway.HubUri).Build();
        var ended = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.Closed += error =>
        {
            ended.TrySetResult(error);
            return Task.CompletedTask;
        };

        // The SignalR handshake completes before the hub's OnConnectedAsync runs the authorizer, so the refusal
        // arrives as the connection closing with the error, or as StartAsync failing if it comes first.
        try
        {
            await hub.StartAsync().DefaultTimeout();
        }
        catch (Exception error) when (error is not TimeoutException)
        {
            ended.TrySetResult(error);
        }

        var reason = await ended.Task.DefaultTimeout();
        Assert.NotNull(reason);
        Assert.Contains("status 401", reason.Message);
        Assert.Equal(HubConnectionState.Disconnected, hub.State);
    }
}
