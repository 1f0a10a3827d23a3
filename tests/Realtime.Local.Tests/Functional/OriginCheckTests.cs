using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.Http.Connections;
using Realtime.Local.Tests.Infrastructure;

namespace Realtime.Local.Tests.Functional;

/// <summary>
/// A browser sends no CORS preflight for a WebSocket, so the gateway itself refuses pages of foreign origins on the
/// WebSocket endpoint and the SignalR hub; pages on this machine and programs (no Origin header) connect.
/// </summary>
public sealed class OriginCheckTests(GatewayTemplateFixture fixture) : IClassFixture<GatewayTemplateFixture>
{
    internal static string WithPort(string origin, int port) => origin.Replace("{port}", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

    internal static HubConnection Hub(GatewayFixture fixture, string marker, string origin, bool skipNegotiation = false) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(fixture.Gateway.HubUri + "?marker=" + marker), o =>
            {
                o.Headers["Origin"] = origin;
                if (skipNegotiation)
                {
                    o.SkipNegotiation = true;
                    o.Transports = HttpTransportType.WebSockets;
                }
            })
            .Build();

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("http://localhost.evil.example:4000")]
    [InlineData("http://127.0.0.1.nip.io")]
    [InlineData("null")]
    public async Task A_websocket_from_a_page_of_a_foreign_origin_is_403_and_runs_no_function(string origin)
    {
        var marker = "origin-" + Guid.NewGuid().ToString("N");

        Assert.Equal(403, await fixture.RejectedStatusAsync("marker=" + marker, o => o.SetRequestHeader("Origin", origin)));
        Assert.Empty(fixture.Recorder.All(e => e.EventType == "CONNECT" && Handlers.Lambda.Query(e.Root, "marker") == marker));
    }

    [Theory]
    [InlineData("/local")]
    [InlineData("/hub/negotiate?negotiateVersion=1")]
    public async Task The_refusal_names_the_option_that_allows_the_origin(string path)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(path.StartsWith("/hub", StringComparison.Ordinal) ? HttpMethod.Post : HttpMethod.Get, new Uri(fixture.Gateway.BaseUri, path));
        request.Headers.Add("Origin", "https://evil.example");

        using var response = await http.SendAsync(request).DefaultTimeout();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("--allow-origin https://evil.example", await response.Content.ReadAsStringAsync().DefaultTimeout());
    }

    [Fact]
    public async Task A_signalr_client_on_a_foreign_origin_is_refused_at_negotiate()
    {
        await using var hub = Hub(fixture, "origin-signalr", "https://evil.example");

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => hub.StartAsync().DefaultTimeout());

        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Empty(fixture.Recorder.All(e => e.EventType == "CONNECT" && Handlers.Lambda.Query(e.Root, "marker") == "origin-signalr"));
    }

    [Fact]
    public async Task A_signalr_client_on_a_foreign_origin_is_refused_without_negotiate()
    {
        await using var hub = Hub(fixture, "origin-signalr-ws", "https://evil.example", skipNegotiation: true);

        await Assert.ThrowsAsync<WebSocketException>(() => hub.StartAsync().DefaultTimeout());

        Assert.Empty(fixture.Recorder.All(e => e.EventType == "CONNECT" && Handlers.Lambda.Query(e.Root, "marker") == "origin-signalr-ws"));
    }

    [Theory]
    [InlineData("http://127.0.0.1:{port}")]
    [InlineData("http://localhost:5173")]
    [InlineData("https://app.localhost")]
    [InlineData("http://[::1]:3000")]
    public async Task Pages_on_this_machine_connect_on_both_transports(string origin)
    {
        origin = WithPort(origin, fixture.Gateway.Port);
        var marker = "loopback-origin-" + Guid.NewGuid().ToString("N");

        using var socket = await fixture.ConnectAsync("marker=" + marker, o => o.SetRequestHeader("Origin", origin));
        await using var hub = Hub(fixture, marker + "-hub", origin);
        await hub.StartAsync().DefaultTimeout();

        Assert.Equal(WebSocketState.Open, socket.State);
        await fixture.ConnectEventAsync(marker);
        await fixture.ConnectEventAsync(marker + "-hub");
    }
}

/// <summary><c>--allow-origin</c> lets one more origin's pages connect, and no other.</summary>
public sealed class AllowedOriginTests(AllowedOriginFixture fixture) : IClassFixture<AllowedOriginFixture>
{
    [Fact]
    public async Task Pages_of_an_allowed_origin_connect_on_both_transports()
    {
        using var socket = await fixture.ConnectAsync("marker=allowed-origin", o => o.SetRequestHeader("Origin", AllowedOriginFixture.Origin));
        await using var hub = OriginCheckTests.Hub(fixture, "allowed-origin-hub", AllowedOriginFixture.Origin);
        await hub.StartAsync().DefaultTimeout();

        Assert.Equal(WebSocketState.Open, socket.State);
        await fixture.ConnectEventAsync("allowed-origin");
        await fixture.ConnectEventAsync("allowed-origin-hub");
    }

    [Fact]
    public async Task Pages_of_another_origin_are_still_refused()
    {
        Assert.Equal(403, await fixture.RejectedStatusAsync("marker=other-origin", o => o.SetRequestHeader("Origin", "https://other.example.com")));
    }
}

/// <summary><c>--allow-origin *</c> lets pages of any origin connect.</summary>
public sealed class AnyOriginTests(AnyOriginFixture fixture) : IClassFixture<AnyOriginFixture>
{
    [Fact]
    public async Task Pages_of_any_origin_connect()
    {
        using var socket = await fixture.ConnectAsync("marker=any-origin", o => o.SetRequestHeader("Origin", "https://anything.example"));

        Assert.Equal(WebSocketState.Open, socket.State);
    }
}
