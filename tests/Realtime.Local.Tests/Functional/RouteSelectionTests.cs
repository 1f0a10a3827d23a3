using Realtime.Local.Tests.Infrastructure;

namespace Realtime.Local.Tests.Functional;

/// <summary>
/// A nested selection expression (<c>$request.body.service.do</c>) on an API without $default and without $connect:
/// unmatched messages get the Forbidden frame and the socket stays open.
/// </summary>
public sealed class RouteSelectionTests(NestedTemplateFixture fixture) : IClassFixture<NestedTemplateFixture>
{
    [Fact]
    public async Task Without_a_connect_route_the_handshake_is_accepted()
    {
        using var socket = await fixture.ConnectAsync();

        Assert.Equal(System.Net.WebSockets.WebSocketState.Open, socket.State);
        Assert.Empty(fixture.Recorder.All(e => e.EventType == "CONNECT"));
    }

    [Fact]
    public async Task A_nested_path_selects_the_route()
    {
        using var socket = await fixture.ConnectAsync();

        await socket.SendTextAsync("""{"service":{"do":"chat"},"text":"hi"}""");

        var message = await fixture.Recorder.WaitAsync(e => e.Body == """{"service":{"do":"chat"},"text":"hi"}""").DefaultTimeout();
        Assert.Equal("chat", message.RouteKey);
    }

    [Fact]
    public async Task A_number_value_is_stringified_to_select_the_route()
    {
        using var socket = await fixture.ConnectAsync();

        await socket.SendTextAsync("""{"service":{"do":1}}""");

        var message = await fixture.Recorder.WaitAsync(e => e.Body == """{"service":{"do":1}}""").DefaultTimeout();
        Assert.Equal("1", message.RouteKey);
    }

    [Theory]
    [InlineData("""{"service":{"do":"unknown"}}""")]
    [InlineData("""{"service":"chat"}""")]
    [InlineData("not json at all")]
    [InlineData("""["chat"]""")]
    public async Task Without_default_an_unmatched_message_gets_the_forbidden_frame_and_the_socket_stays_open(string body)
    {
        using var socket = await fixture.ConnectAsync();

        await socket.SendTextAsync(body);
        var frame = await socket.ReceiveTextAsync();

        Assert.Matches("""^\{"message": "Forbidden", "connectionId":"[A-Za-z0-9_-]{15}=", "requestId":"[A-Za-z0-9_-]{15}="\}$""", frame);
        await socket.SendTextAsync("""{"service":{"do":"chat"},"after":"forbidden"}""");
        await fixture.Recorder.WaitAsync(e => e.Body == """{"service":{"do":"chat"},"after":"forbidden"}""").DefaultTimeout();
    }
}
