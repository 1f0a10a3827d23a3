using System.Net.WebSockets;
using System.Text;
using Realtime.Local.Tests.Infrastructure;

namespace Realtime.Local.Tests.Functional;

/// <summary>
/// DNS rebinding: a page that got a name of its own to resolve to 127.0.0.1 sends that name as the Host. Only loopback
/// names and addresses are answered, on every path, before any endpoint runs.
/// </summary>
public sealed class HostCheckTests(GatewayTemplateFixture fixture) : IClassFixture<GatewayTemplateFixture>
{
    private const string Rebound = "rebind.evil.example";

    private async Task<(int Status, string? ContentType, string Body)> SendAsync(HttpMethod method, string path, string host, string? body = null)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(method, new Uri(fixture.Gateway.BaseUri, path));
        request.Headers.Host = host.Replace("{port}", fixture.Gateway.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        request.Headers.Add("X-Realtime-Publish-Key", fixture.Gateway.PublishKey);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await http.SendAsync(request).DefaultTimeout();
        return ((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync().DefaultTimeout());
    }

    [Theory]
    [InlineData("GET", "/", null)]
    [InlineData("GET", "/demo.js", null)]
    [InlineData("POST", "/dev/token", """{"sub":"alice"}""")]
    [InlineData("GET", "/dev/.well-known/jwks.json", null)]
    [InlineData("POST", "/publish", """{"topic":"wishlist:42","event":"item_added"}""")]
    [InlineData("POST", "/local/@connections/AAAAAAAAAAAAAAA=", "hello")]
    [InlineData("GET", "/local", null)]
    [InlineData("POST", "/hub/negotiate?negotiateVersion=1", "")]
    [InlineData("GET", "/no-such-page", null)]
    public async Task A_request_for_a_foreign_host_is_400_on_every_path(string method, string path, string? body)
    {
        var (status, contentType, text) = await SendAsync(new HttpMethod(method), path, Rebound + ":{port}", body);

        Assert.Equal(400, status);
        Assert.Equal("application/problem+json", contentType);
        Assert.Contains("\"title\":\"Host not served\"", text);
        Assert.Contains(Rebound, text);
    }

    [Theory]
    [InlineData("localhost.evil.example")]
    [InlineData("evillocalhost")]
    [InlineData("127.0.0.1.nip.io")]
    [InlineData("0.0.0.0")]
    [InlineData("192.168.1.20")]
    [InlineData("[fe80::1]")]
    public async Task A_name_that_only_looks_local_is_400(string host)
    {
        var (status, _, body) = await SendAsync(HttpMethod.Post, "/dev/token", host + ":{port}", """{"sub":"alice"}""");

        Assert.Equal(400, status);
        Assert.Contains("\"title\":\"Host not served\"", body);
    }

    [Theory]
    [InlineData("127.0.0.1:{port}")]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.9.10:{port}")]
    [InlineData("localhost:{port}")]
    [InlineData("LocalHost")]
    [InlineData("chat.localhost:{port}")]
    [InlineData("[::1]:{port}")]
    public async Task Loopback_names_and_addresses_are_served(string host)
    {
        var (status, _, text) = await SendAsync(HttpMethod.Post, "/dev/token", host, """{"sub":"alice"}""");

        Assert.Equal(200, status);
        Assert.Contains("\"token\"", text);
    }

    [Fact]
    public async Task A_websocket_handshake_for_a_foreign_host_is_400_and_runs_no_function()
    {
        var status = await fixture.RejectedStatusAsync("marker=rebound", o => o.SetRequestHeader("Host", $"{Rebound}:{fixture.Gateway.Port}"));

        Assert.Equal(400, status);
        Assert.Empty(fixture.Recorder.All(e => e.EventType == "CONNECT" && Handlers.Lambda.Query(e.Root, "marker") == "rebound"));
    }

    [Fact]
    public async Task A_websocket_handshake_for_a_loopback_name_connects()
    {
        using var socket = await fixture.ConnectAsync("marker=loopback-name", o => o.SetRequestHeader("Host", $"localhost:{fixture.Gateway.Port}"));

        Assert.Equal(WebSocketState.Open, socket.State);
        Assert.Equal($"localhost:{fixture.Gateway.Port}", (await fixture.ConnectEventAsync("loopback-name")).Context.GetProperty("domainName").GetString());
    }
}
