using System.Net.WebSockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Realtime.Local.Tests.Infrastructure;

namespace Realtime.Local.Tests.Functional;

/// <summary>The handshake: $connect's status passthrough, subprotocols, response headers and the CONNECT event.</summary>
public sealed partial class ConnectTests(GatewayTemplateFixture fixture) : IClassFixture<GatewayTemplateFixture>
{
    [GeneratedRegex("^[A-Za-z0-9_-]{15}=$")]
    private static partial Regex ApiGatewayId();

    [Fact]
    public async Task A_2xx_from_connect_completes_the_handshake()
    {
        using var socket = await fixture.ConnectAsync("status=204");

        Assert.Equal(WebSocketState.Open, socket.State);
        Assert.Equal(101, (int)socket.HttpStatusCode);
    }

    [Theory]
    [InlineData(301)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(429)]
    [InlineData(501)]
    public async Task A_non_2xx_from_connect_fails_the_handshake_with_that_status(int status)
    {
        Assert.Equal(status, await fixture.RejectedStatusAsync($"status={status}"));
    }

    [Fact]
    public async Task A_connect_function_that_throws_fails_the_handshake_with_502()
    {
        Assert.Equal(502, await fixture.RejectedStatusAsync("throw=1"));
    }

    [Fact]
    public async Task A_rejected_connection_never_gets_a_disconnect()
    {
        Assert.Equal(403, await fixture.RejectedStatusAsync("status=403&marker=rejected-no-disconnect"));
        var connect = await fixture.ConnectEventAsync("rejected-no-disconnect");

        // A later connection's whole lifecycle completes; the rejected one has no DISCONNECT by then.
        using var other = await fixture.ConnectAsync("marker=after-rejected");
        var otherId = (await fixture.ConnectEventAsync("after-rejected")).ConnectionId!;
        await other.CloseAsync(1000, "");
        await fixture.Recorder.WaitAsync(otherId, "DISCONNECT").DefaultTimeout();
        Assert.Empty(fixture.Recorder.All(e => e.ConnectionId == connect.ConnectionId && e.EventType == "DISCONNECT"));
    }

    [Fact]
    public async Task The_subprotocol_connect_returns_is_selected_when_the_client_offered_it()
    {
        using var socket = await fixture.ConnectAsync("protocol=graphql-ws", o =>
        {
            o.AddSubProtocol("graphql-ws");
            o.AddSubProtocol("other");
        });

        Assert.Equal("graphql-ws", socket.SubProtocol);
        Assert.Equal("graphql-ws", socket.HttpResponseHeaders!["Sec-WebSocket-Protocol"].Single());
    }

    [Fact]
    public async Task An_offered_subprotocol_is_never_echoed_when_connect_returns_none()
    {
        using var socket = await fixture.ConnectAsync(configure: o => o.AddSubProtocol("graphql-ws"));

        Assert.Null(socket.SubProtocol);
        Assert.False(socket.HttpResponseHeaders!.ContainsKey("Sec-WebSocket-Protocol"));
    }

    [Fact]
    public async Task A_subprotocol_the_client_did_not_offer_is_not_selected()
    {
        using var socket = await fixture.ConnectAsync("protocol=unoffered", o => o.AddSubProtocol("graphql-ws"));

        Assert.False(socket.HttpResponseHeaders!.ContainsKey("Sec-WebSocket-Protocol"));
    }

    [Fact]
    public async Task Several_subprotocols_from_connect_select_none()
    {
        using var socket = await fixture.ConnectAsync("protocol=a,b", o =>
        {
            o.AddSubProtocol("a");
            o.AddSubProtocol("b");
        });

        Assert.False(socket.HttpResponseHeaders!.ContainsKey("Sec-WebSocket-Protocol"));
    }

    [Fact]
    public async Task Headers_connect_returns_are_sent_in_the_101()
    {
        using var socket = await fixture.ConnectAsync("header=1");

        Assert.Equal("yes", socket.HttpResponseHeaders!["X-Connect-Function"].Single());
    }

    [Fact]
    public async Task The_connect_event_has_the_handshake_headers_and_query_and_no_body()
    {
        using var socket = await fixture.ConnectAsync("marker=shape&a=1&a=2", o =>
        {
            o.SetRequestHeader("HeaderAuth1", "value1");
            o.SetRequestHeader("User-Agent", "test-agent/1.0");
        });
        var connect = await fixture.ConnectEventAsync("shape");
        var root = connect.Root;

        var headers = root.GetProperty("headers");
        Assert.Equal("value1", headers.GetProperty("HeaderAuth1").GetString());
        Assert.Equal("13", headers.GetProperty("Sec-WebSocket-Version").GetString());
        Assert.True(headers.TryGetProperty("Sec-WebSocket-Key", out _));
        Assert.Equal($"127.0.0.1:{fixture.Gateway.Port}", headers.GetProperty("Host").GetString());
        Assert.False(headers.TryGetProperty("Connection", out _));
        Assert.False(headers.TryGetProperty("Upgrade", out _));
        Assert.Matches("^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$", headers.GetProperty("X-Amzn-Trace-Id").GetString());
        Assert.Equal("127.0.0.1", headers.GetProperty("X-Forwarded-For").GetString());
        Assert.Equal(fixture.Gateway.Port.ToString(), headers.GetProperty("X-Forwarded-Port").GetString());
        Assert.Equal("http", headers.GetProperty("X-Forwarded-Proto").GetString());
        Assert.Equal(["value1"], root.GetProperty("multiValueHeaders").GetProperty("HeaderAuth1").EnumerateArray().Select(v => v.GetString()));

        Assert.Equal("2", root.GetProperty("queryStringParameters").GetProperty("a").GetString());
        Assert.Equal(["1", "2"], root.GetProperty("multiValueQueryStringParameters").GetProperty("a").EnumerateArray().Select(v => v.GetString()));
        Assert.False(root.TryGetProperty("body", out _));
        Assert.False(root.GetProperty("isBase64Encoded").GetBoolean());
    }

    [Fact]
    public async Task The_connect_event_has_no_query_string_keys_when_the_url_had_none()
    {
        using var socket = await fixture.ConnectAsync(configure: o => o.SetRequestHeader("X-Marker", "no-query"));
        var connect = await fixture.Recorder.WaitAsync(e => e.EventType == "CONNECT"
            && e.Root.GetProperty("headers").TryGetProperty("X-Marker", out var m) && m.GetString() == "no-query").DefaultTimeout();

        Assert.False(connect.Root.TryGetProperty("queryStringParameters", out _));
        Assert.False(connect.Root.TryGetProperty("multiValueQueryStringParameters", out _));
    }

    [Fact]
    public async Task The_connect_request_context_has_exactly_the_connect_keys()
    {
        using var socket = await fixture.ConnectAsync("marker=context", o => o.SetRequestHeader("User-Agent", "ctx-agent"));
        var context = (await fixture.ConnectEventAsync("context")).Context;

        Assert.Equal(
            ["apiId", "connectedAt", "connectionId", "domainName", "eventType", "extendedRequestId", "identity", "messageDirection",
             "requestId", "requestTime", "requestTimeEpoch", "routeKey", "stage"],
            context.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("$connect", context.GetProperty("routeKey").GetString());
        Assert.Equal("CONNECT", context.GetProperty("eventType").GetString());
        Assert.Equal("IN", context.GetProperty("messageDirection").GetString());
        Assert.Equal("local", context.GetProperty("stage").GetString());
        Assert.Matches("^[a-z0-9]{10}$", context.GetProperty("apiId").GetString());
        Assert.Matches(ApiGatewayId(), context.GetProperty("connectionId").GetString());
        Assert.Matches(ApiGatewayId(), context.GetProperty("requestId").GetString());
        Assert.Equal(context.GetProperty("requestId").GetString(), context.GetProperty("extendedRequestId").GetString());
        Assert.Equal(context.GetProperty("connectedAt").GetInt64(), context.GetProperty("requestTimeEpoch").GetInt64());
        Assert.Equal(
            DateTimeOffset.FromUnixTimeMilliseconds(context.GetProperty("requestTimeEpoch").GetInt64()).UtcDateTime.ToString("dd/MMM/yyyy:HH:mm:ss +0000", System.Globalization.CultureInfo.InvariantCulture),
            context.GetProperty("requestTime").GetString());
        Assert.Equal("""{"sourceIp":"127.0.0.1","userAgent":"ctx-agent"}""", context.GetProperty("identity").GetRawText());
    }

    [Fact]
    public async Task Identity_has_no_user_agent_when_the_handshake_had_none()
    {
        using var socket = await fixture.ConnectAsync("marker=no-agent");
        var context = (await fixture.ConnectEventAsync("no-agent")).Context;

        Assert.Equal("""{"sourceIp":"127.0.0.1"}""", context.GetProperty("identity").GetRawText());
    }

    [Fact]
    public async Task The_domain_name_is_the_host_the_client_addressed_as_with_a_custom_domain()
    {
        using var socket = await fixture.ConnectAsync("marker=custom-domain", o => o.SetRequestHeader("Host", "ws.realtime.localhost"));
        var connect = await fixture.ConnectEventAsync("custom-domain");

        Assert.Equal("ws.realtime.localhost", connect.Context.GetProperty("domainName").GetString());
        Assert.Equal("ws.realtime.localhost", connect.Root.GetProperty("headers").GetProperty("Host").GetString());
    }

    [Fact]
    public async Task A_post_from_inside_connect_is_gone()
    {
        using var socket = await fixture.ConnectAsync("post=1&marker=post-in-connect");
        var connect = await fixture.ConnectEventAsync("post-in-connect");
        var post = await fixture.Recorder.WaitAsync(connect.ConnectionId!, "POST").DefaultTimeout();

        Assert.Equal(410, post.Root.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task A_plain_http_request_to_the_stage_is_told_to_upgrade()
    {
        using var http = new HttpClient();
        var response = await http.GetAsync(new Uri(fixture.Gateway.BaseUri, "local")).DefaultTimeout();

        Assert.Equal(426, (int)response.StatusCode);
    }

    [Fact]
    public async Task A_websocket_to_another_stage_is_forbidden()
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(new Uri($"ws://127.0.0.1:{fixture.Gateway.Port}/prod"), CancellationToken.None).DefaultTimeout());

        Assert.Equal(403, (int)socket.HttpStatusCode);
    }

    [Fact]
    public async Task Each_connection_gets_its_own_id()
    {
        using var first = await fixture.ConnectAsync("marker=id-1");
        using var second = await fixture.ConnectAsync("marker=id-2");

        Assert.NotEqual((await fixture.ConnectEventAsync("id-1")).ConnectionId, (await fixture.ConnectEventAsync("id-2")).ConnectionId);
    }

    internal static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
