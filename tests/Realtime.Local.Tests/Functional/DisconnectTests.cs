using System.Net.WebSockets;
using Realtime.Local.Tests.Infrastructure;

namespace Realtime.Local.Tests.Functional;

/// <summary>$disconnect: the close code and reason it reports, and the shape of the DISCONNECT event.</summary>
public sealed class DisconnectTests(GatewayTemplateFixture fixture) : IClassFixture<GatewayTemplateFixture>
{
    private async Task<(ClientWebSocket Socket, RecordedEvent Connect)> OpenAsync(string marker)
    {
        var socket = await fixture.ConnectAsync($"marker={marker}", o => o.SetRequestHeader("User-Agent", "disconnect-agent"));
        return (socket, await fixture.ConnectEventAsync(marker));
    }

    [Theory]
    [InlineData(1000, "")]
    [InlineData(1001, "")]
    [InlineData(4001, "bye now")]
    public async Task The_client_close_code_and_reason_are_passed_to_disconnect(int code, string reason)
    {
        var (socket, connect) = await OpenAsync($"close-{code}");
        using var _ = socket;

        await socket.CloseAsync(code, reason);
        var disconnect = await fixture.Recorder.WaitAsync(connect.ConnectionId!, "DISCONNECT").DefaultTimeout();

        Assert.Equal(code, disconnect.Context.GetProperty("disconnectStatusCode").GetInt32());
        Assert.Equal(reason, disconnect.Context.GetProperty("disconnectReason").GetString());
    }

    [Fact]
    public async Task A_dropped_connection_disconnects_with_1006()
    {
        var (socket, connect) = await OpenAsync("dropped");

        socket.Abort();
        socket.Dispose();
        var disconnect = await fixture.Recorder.WaitAsync(connect.ConnectionId!, "DISCONNECT").DefaultTimeout();

        Assert.Equal(1006, disconnect.Context.GetProperty("disconnectStatusCode").GetInt32());
    }

    [Fact]
    public async Task The_disconnect_event_has_the_fixed_headers_and_the_close_status()
    {
        var (socket, connect) = await OpenAsync("disconnect-shape");
        using var _ = socket;

        await socket.CloseAsync(1000, "done");
        var disconnect = await fixture.Recorder.WaitAsync(connect.ConnectionId!, "DISCONNECT").DefaultTimeout();
        var root = disconnect.Root;
        var context = disconnect.Context;

        Assert.Equal(["headers", "isBase64Encoded", "multiValueHeaders", "requestContext"], root.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal($$"""{"Host":"127.0.0.1:{{fixture.Gateway.Port}}","x-api-key":"","X-Forwarded-For":"","x-restapi":""}""", root.GetProperty("headers").GetRawText());
        Assert.Equal($$"""{"Host":["127.0.0.1:{{fixture.Gateway.Port}}"],"x-api-key":[""],"X-Forwarded-For":[""],"x-restapi":[""]}""", root.GetProperty("multiValueHeaders").GetRawText());
        Assert.Equal(
            ["apiId", "connectedAt", "connectionId", "disconnectReason", "disconnectStatusCode", "domainName", "eventType", "extendedRequestId",
             "identity", "messageDirection", "requestId", "requestTime", "requestTimeEpoch", "routeKey", "stage"],
            context.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("$disconnect", context.GetProperty("routeKey").GetString());
        Assert.Equal("DISCONNECT", context.GetProperty("eventType").GetString());
        Assert.Equal(connect.Context.GetProperty("connectedAt").GetInt64(), context.GetProperty("connectedAt").GetInt64());
        Assert.Equal(context.GetProperty("requestId").GetString(), context.GetProperty("extendedRequestId").GetString());
        Assert.Equal("""{"sourceIp":"127.0.0.1","userAgent":"disconnect-agent"}""", context.GetProperty("identity").GetRawText());
    }

    [Fact]
    public async Task Deleting_a_connection_closes_it_with_1000_and_disconnects_with_connection_closed_normally()
    {
        var (socket, connect) = await OpenAsync("deleted");
        using var _ = socket;
        using var http = new HttpClient();

        var response = await http.DeleteAsync(ConnectionsApi.Url(fixture.Gateway, connect.ConnectionId!)).DefaultTimeout();

        Assert.Equal(204, (int)response.StatusCode);
        Assert.Equal((1000, "Connection Closed Normally"), await socket.ReceiveCloseAsync());
        var disconnect = await fixture.Recorder.WaitAsync(connect.ConnectionId!, "DISCONNECT").DefaultTimeout();
        Assert.Equal(1000, disconnect.Context.GetProperty("disconnectStatusCode").GetInt32());
        Assert.Equal("Connection Closed Normally", disconnect.Context.GetProperty("disconnectReason").GetString());
    }
}
