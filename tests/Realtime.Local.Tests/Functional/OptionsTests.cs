using System.Net.WebSockets;
using Realtime.Local.Tests.Infrastructure;

namespace Realtime.Local.Tests.Functional;

/// <summary>ApiKeyRequired on $connect: the x-api-key header must be present (any key is accepted locally).</summary>
public sealed class ApiKeyTests(ApiKeyTemplateFixture fixture) : IClassFixture<ApiKeyTemplateFixture>
{
    [Fact]
    public async Task A_connect_without_an_api_key_is_403_without_calling_connect()
    {
        Assert.Equal(403, await fixture.RejectedStatusAsync("marker=no-key"));

        Assert.Empty(fixture.Recorder.All(e => e.EventType == "CONNECT" && Handlers.Lambda.Query(e.Root, "marker") == "no-key"));
    }

    [Fact]
    public async Task A_connect_with_an_api_key_is_accepted()
    {
        using var socket = await fixture.ConnectAsync("marker=with-key", o => o.SetRequestHeader("x-api-key", "any-key"));

        Assert.Equal(WebSocketState.Open, socket.State);
        await fixture.ConnectEventAsync("with-key");
    }
}

/// <summary>With $disconnect delivery off, a closed connection is gone all the same, but no DISCONNECT event arrives.</summary>
public sealed class NoDisconnectTests(NoDisconnectFixture fixture) : IClassFixture<NoDisconnectFixture>
{
    [Fact]
    public async Task A_closed_connection_gets_no_disconnect_event_and_is_gone()
    {
        var socket = await fixture.ConnectAsync("marker=no-disconnect");
        var id = (await fixture.ConnectEventAsync("no-disconnect")).ConnectionId!;
        using var http = new HttpClient();

        await socket.CloseAsync(1000, "");
        socket.Dispose();

        // The connection is gone for @connections...
        using var response = await http.PostAsync(ConnectionsApi.Url(fixture.Gateway, id), new StringContent("x")).DefaultTimeout();
        Assert.Equal(410, (int)response.StatusCode);
        // ...and a later connection's message is handled, while no DISCONNECT was ever recorded.
        using var other = await fixture.ConnectAsync("marker=after-no-disconnect");
        var otherId = (await fixture.ConnectEventAsync("after-no-disconnect")).ConnectionId!;
        await other.SendTextAsync("""{"action":"echo"}""");
        await other.ReceiveTextAsync();
        Assert.Empty(fixture.Recorder.All(e => e.EventType == "DISCONNECT"));
        Assert.NotEqual(id, otherId);
    }
}
