using System.Net.WebSockets;
using System.Text;
using Realtime.Local.Tests.Infrastructure;

namespace Realtime.Local.Tests.Functional;

/// <summary>Messages: routing, the MESSAGE event, error frames, two-way routes, limits and concurrency.</summary>
public sealed class MessageTests(GatewayTemplateFixture fixture) : IClassFixture<GatewayTemplateFixture>
{
    private async Task<(ClientWebSocket Socket, string ConnectionId)> OpenAsync(string marker, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = await fixture.ConnectAsync($"marker={marker}", configure);
        var connect = await fixture.ConnectEventAsync(marker);
        return (socket, connect.ConnectionId!);
    }

    private Task<RecordedEvent> MessageEventAsync(string connectionId, string body) =>
        fixture.Recorder.WaitAsync(e => e.ConnectionId == connectionId && e.EventType == "MESSAGE" && e.Body == body).DefaultTimeout();

    [Fact]
    public async Task A_message_is_routed_by_the_selection_expression()
    {
        var (socket, id) = await OpenAsync("route-custom");
        using var _ = socket;

        await socket.SendTextAsync("""{"action":"echo-one-way","n":1}""");
        var message = await MessageEventAsync(id, """{"action":"echo-one-way","n":1}""");

        Assert.Equal("EchoFunction", message.Function);
        Assert.Equal("echo-one-way", message.RouteKey);
    }

    [Theory]
    [InlineData("""{"action":"nothing-matches"}""")]
    [InlineData("""{"other":"field"}""")]
    [InlineData("hello, not JSON")]
    [InlineData("""["an","array"]""")]
    [InlineData("42")]
    [InlineData("""{"action":"echo" """)]
    [InlineData("""{"action":{"nested":"object"}}""")]
    [InlineData("""{"action":null}""")]
    public async Task A_message_that_selects_no_route_goes_to_default(string body)
    {
        var (socket, id) = await OpenAsync("default-" + Guid.NewGuid().ToString("N"));
        using var _ = socket;

        await socket.SendTextAsync(body);
        var message = await MessageEventAsync(id, body);

        Assert.Equal("$default", message.RouteKey);
        Assert.Equal("RecordingFunction", message.Function);
    }

    [Fact]
    public async Task The_message_event_has_a_body_and_message_id_and_no_headers()
    {
        var (socket, id) = await OpenAsync("message-shape", o => o.SetRequestHeader("User-Agent", "msg-agent"));
        using var _ = socket;
        var connect = await fixture.ConnectEventAsync("message-shape");

        await socket.SendTextAsync("""{"action":"echo-one-way","text":"héllo \"quoted\" <tag>"}""");
        var message = await MessageEventAsync(id, """{"action":"echo-one-way","text":"héllo \"quoted\" <tag>"}""");
        var root = message.Root;
        var context = message.Context;

        Assert.Equal(["body", "isBase64Encoded", "requestContext"], root.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.False(root.GetProperty("isBase64Encoded").GetBoolean());
        Assert.Equal(
            ["apiId", "connectedAt", "connectionId", "domainName", "eventType", "extendedRequestId", "identity", "messageDirection",
             "messageId", "requestId", "requestTime", "requestTimeEpoch", "routeKey", "stage"],
            context.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("MESSAGE", context.GetProperty("eventType").GetString());
        Assert.Matches("^[A-Za-z0-9_-]{15}=$", context.GetProperty("messageId").GetString());
        Assert.Equal(context.GetProperty("requestId").GetString(), context.GetProperty("extendedRequestId").GetString());
        Assert.NotEqual(connect.Context.GetProperty("requestId").GetString(), context.GetProperty("requestId").GetString());
        Assert.Equal(connect.Context.GetProperty("connectedAt").GetInt64(), context.GetProperty("connectedAt").GetInt64());
        Assert.Equal("""{"sourceIp":"127.0.0.1","userAgent":"msg-agent"}""", context.GetProperty("identity").GetRawText());
        Assert.DoesNotContain("\\u0022", message.Json); // only what JSON requires is escaped: \" and not \u0022
        Assert.DoesNotContain("\\u003C", message.Json);
        Assert.Contains("héllo", message.Json);
    }

    [Fact]
    public async Task A_function_error_sends_the_internal_server_error_frame_and_keeps_the_socket_open()
    {
        var (socket, id) = await OpenAsync("throws");
        using var _ = socket;

        await socket.SendTextAsync("""{"action":"throw"}""");
        var frame = await socket.ReceiveTextAsync();
        var message = await MessageEventAsync(id, """{"action":"throw"}""");

        Assert.Equal($$"""{"message": "Internal server error", "connectionId":"{{id}}", "requestId":"{{message.Context.GetProperty("requestId").GetString()}}"}""", frame);
        Assert.Equal(WebSocketState.Open, socket.State);
        await socket.SendTextAsync("""{"action":"echo","after":"error"}""");
        Assert.Equal("""echo:{"action":"echo","after":"error"}""", await socket.ReceiveTextAsync());
    }

    [Fact]
    public async Task An_integration_timeout_sends_the_endpoint_request_timed_out_frame()
    {
        var (socket, id) = await OpenAsync("slow");
        using var _ = socket;

        await socket.SendTextAsync("""{"action":"slow"}""");
        var frame = await socket.ReceiveTextAsync();
        var message = await MessageEventAsync(id, """{"action":"slow"}""");

        Assert.Equal($$"""{"message": "Endpoint request timed out", "connectionId":"{{id}}", "requestId":"{{message.Context.GetProperty("requestId").GetString()}}"}""", frame);
        Assert.Equal(WebSocketState.Open, socket.State);
    }

    [Fact]
    public async Task A_function_that_blocks_its_thread_neither_holds_the_connection_nor_escapes_the_timeout()
    {
        var (socket, id) = await OpenAsync("block");
        using var _ = socket;

        await socket.SendTextAsync("""{"action":"block"}""");
        await MessageEventAsync(id, """{"action":"block"}""");
        await socket.SendTextAsync("""{"action":"echo","while":"blocked"}""");

        // Both answers come while the blocking function still holds its thread (it sleeps 5 s; the route's timeout
        // is 300 ms), in either order: the echo was invoked concurrently and the timeout was not skipped.
        var answers = new[] { await socket.ReceiveTextAsync(), await socket.ReceiveTextAsync() };
        Assert.Contains("""echo:{"action":"echo","while":"blocked"}""", answers);
        Assert.Single(answers, a => a.StartsWith($$"""{"message": "Endpoint request timed out", "connectionId":"{{id}}", "requestId":""", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_non_2xx_status_on_a_one_way_route_sends_nothing()
    {
        var (socket, id) = await OpenAsync("one-way-500");
        using var _ = socket;

        await socket.SendTextAsync("""{"action":"fail-status"}""");
        await fixture.Recorder.WaitAsync(e => e.ConnectionId == id && e.Function == "FailingStatusFunction").DefaultTimeout();
        await socket.SendTextAsync("""{"action":"echo","n":1}""");
        await socket.SendTextAsync("""{"action":"echo","n":2}""");

        var frames = new[] { await socket.ReceiveTextAsync(), await socket.ReceiveTextAsync() };
        Assert.All(frames, frame => Assert.StartsWith("echo:", frame));
        Assert.Equal(WebSocketState.Open, socket.State);
    }

    [Fact]
    public async Task A_function_past_its_own_timeout_is_a_function_error()
    {
        var (socket, id) = await OpenAsync("short-lived");
        using var _ = socket;

        await socket.SendTextAsync("""{"action":"short-lived"}""");
        var frame = await socket.ReceiveTextAsync();

        Assert.StartsWith($$"""{"message": "Internal server error", "connectionId":"{{id}}", "requestId":""", frame);
    }

    [Fact]
    public async Task A_two_way_route_sends_the_function_body_back()
    {
        var (socket, _) = await OpenAsync("two-way");
        using var __ = socket;

        await socket.SendTextAsync("""{"action":"echo","x":1}""");

        Assert.Equal("""echo:{"action":"echo","x":1}""", await socket.ReceiveTextAsync());
    }

    [Fact]
    public async Task A_one_way_route_sends_nothing_back()
    {
        var (socket, id) = await OpenAsync("one-way");
        using var _ = socket;

        await socket.SendTextAsync("""{"action":"echo-one-way"}""");
        await MessageEventAsync(id, """{"action":"echo-one-way"}""");
        await socket.SendTextAsync("""{"action":"echo","marker":"next"}""");

        // The first message back is the two-way reply to the second message: the one-way route sent nothing.
        Assert.Equal("""echo:{"action":"echo","marker":"next"}""", await socket.ReceiveTextAsync());
    }

    [Fact]
    public async Task A_function_can_post_back_through_connections()
    {
        var (socket, _) = await OpenAsync("post-back");
        using var __ = socket;

        await socket.SendTextAsync("""{"action":"ping","reply":"pong"}""");

        Assert.Equal("pong", await socket.ReceiveTextAsync());
    }

    [Fact]
    public async Task Messages_of_one_connection_are_invoked_concurrently()
    {
        var (socket, id) = await OpenAsync("concurrent");
        using var _ = socket;

        await socket.SendTextAsync("""{"action":"slow","n":1}""");
        await socket.SendTextAsync("""{"action":"slow","n":2}""");

        // Both invocations start although the first takes seconds: nothing waits for it.
        await MessageEventAsync(id, """{"action":"slow","n":1}""");
        await MessageEventAsync(id, """{"action":"slow","n":2}""");
        Assert.StartsWith("{\"message\": \"Endpoint request timed out\"", await socket.ReceiveTextAsync());
        Assert.StartsWith("{\"message\": \"Endpoint request timed out\"", await socket.ReceiveTextAsync());
    }

    [Fact]
    public async Task A_message_split_into_frames_is_reassembled()
    {
        var (socket, id) = await OpenAsync("fragments");
        using var _ = socket;

        var body = "{\"action\":\"echo-one-way\",\"data\":\"" + new string('x', 40_000) + "\"}";
        var bytes = Encoding.UTF8.GetBytes(body);
        for (var offset = 0; offset < bytes.Length; offset += 20_000)
        {
            var length = Math.Min(20_000, bytes.Length - offset);
            await socket.SendAsync(bytes.AsMemory(offset, length), WebSocketMessageType.Text, offset + length == bytes.Length, CancellationToken.None).AsTask().DefaultTimeout();
        }

        var message = await MessageEventAsync(id, body);
        Assert.Equal("echo-one-way", message.RouteKey);
    }

    [Fact]
    public async Task A_frame_of_exactly_32_KB_is_accepted()
    {
        var (socket, id) = await OpenAsync("frame-32k");
        using var _ = socket;

        var prefix = "{\"action\":\"echo-one-way\",\"data\":\"";
        var body = prefix + new string('x', 32 * 1024 - prefix.Length - 2) + "\"}";
        Assert.Equal(32 * 1024, Encoding.UTF8.GetByteCount(body));

        await socket.SendTextAsync(body);
        await MessageEventAsync(id, body);
    }

    [Fact]
    public async Task A_frame_over_32_KB_closes_with_1009()
    {
        var (socket, id) = await OpenAsync("frame-too-big");
        using var _ = socket;

        await socket.SendTextAsync(new string('x', 32 * 1024 + 1));

        Assert.Equal((1009, ""), await socket.ReceiveCloseAsync());
        var disconnect = await fixture.Recorder.WaitAsync(id, "DISCONNECT").DefaultTimeout();
        Assert.Equal(1009, disconnect.Context.GetProperty("disconnectStatusCode").GetInt32());
    }

    [Fact]
    public async Task A_message_over_128_KB_closes_with_1009_even_in_small_frames()
    {
        var (socket, _) = await OpenAsync("message-too-big");
        using var __ = socket;

        var frame = new byte[16 * 1024];
        frame.AsSpan().Fill((byte)'x');
        for (var i = 0; i < 9 && socket.State == WebSocketState.Open; i++)
        {
            await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: i == 8, CancellationToken.None).DefaultTimeout();
        }

        Assert.Equal((1009, ""), await socket.ReceiveCloseAsync());
    }

    [Fact]
    public async Task A_message_of_exactly_128_KB_in_frames_is_accepted()
    {
        var (socket, id) = await OpenAsync("message-128k");
        using var _ = socket;

        var prefix = "{\"action\":\"echo-one-way\",\"data\":\"";
        var body = prefix + new string('x', 128 * 1024 - prefix.Length - 2) + "\"}";
        var bytes = Encoding.UTF8.GetBytes(body);
        for (var offset = 0; offset < bytes.Length; offset += 32 * 1024)
        {
            var length = Math.Min(32 * 1024, bytes.Length - offset);
            await socket.SendAsync(bytes.AsMemory(offset, length), WebSocketMessageType.Text, offset + length == bytes.Length, CancellationToken.None).AsTask().DefaultTimeout();
        }

        await MessageEventAsync(id, body);
    }

    [Fact]
    public async Task A_binary_frame_closes_with_1003()
    {
        var (socket, id) = await OpenAsync("binary");
        using var _ = socket;

        await socket.SendAsync(new byte[] { 1, 2, 3 }, WebSocketMessageType.Binary, true, CancellationToken.None).DefaultTimeout();

        Assert.Equal((1003, ""), await socket.ReceiveCloseAsync());
        var disconnect = await fixture.Recorder.WaitAsync(id, "DISCONNECT").DefaultTimeout();
        Assert.Equal(1003, disconnect.Context.GetProperty("disconnectStatusCode").GetInt32());
        Assert.Empty(fixture.Recorder.All(e => e.ConnectionId == id && e.EventType == "MESSAGE"));
    }

    [Fact]
    public async Task An_empty_message_goes_to_default()
    {
        var (socket, id) = await OpenAsync("empty");
        using var _ = socket;

        await socket.SendTextAsync("");
        var message = await MessageEventAsync(id, "");

        Assert.Equal("$default", message.RouteKey);
    }

    [Fact]
    public async Task A_posted_message_over_32_KB_arrives_in_frames_of_at_most_32_KB()
    {
        var (socket, _) = await OpenAsync("split-out");
        using var __ = socket;

        await socket.SendTextAsync("""{"action":"post","reply":"0123456789abcdef","repeat":5000}""");
        var (type, text, frames) = await socket.ReceiveMessageAsync();

        Assert.Equal(WebSocketMessageType.Text, type);
        Assert.Equal(80_000, text.Length);
        Assert.Equal(3, frames);
    }
}
