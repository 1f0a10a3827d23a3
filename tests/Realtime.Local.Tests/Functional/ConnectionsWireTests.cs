using System.Net;
using System.Text.Json;
using Realtime.Local.Tests.Infrastructure;

namespace Realtime.Local.Tests.Functional;

/// <summary>The HTTP wire format of @connections, as the AWS SDKs read it.</summary>
public sealed class ConnectionsWireTests(GatewayTemplateFixture fixture) : IClassFixture<GatewayTemplateFixture>, IDisposable
{
    private readonly HttpClient _http = new();

    // Held until the test ends: a client nothing refers to may be finalized mid-test, and its connection closed.
    private readonly List<System.Net.WebSockets.ClientWebSocket> _clients = [];

    public void Dispose()
    {
        _http.Dispose();
        foreach (var client in _clients) client.Dispose();
    }

    private async Task<string> OpenAsync(string marker)
    {
        _clients.Add(await fixture.ConnectAsync($"marker={marker}"));
        return (await fixture.ConnectEventAsync(marker)).ConnectionId!;
    }

    [Fact]
    public async Task Post_answers_200_with_an_empty_body()
    {
        var id = await OpenAsync("wire-post");

        using var response = await _http.PostAsync(ConnectionsApi.Url(fixture.Gateway, id), new StringContent("hi")).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync().DefaultTimeout());
    }

    [Fact]
    public async Task Gone_is_410_with_an_empty_body_and_the_error_type_header()
    {
        using var response = await _http.PostAsync(ConnectionsApi.Url(fixture.Gateway, "AAAAAAAAAAAAAAA="), new StringContent("hi")).DefaultTimeout();

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Equal("GoneException", response.Headers.GetValues("x-amzn-ErrorType").Single());
        Assert.Empty(await response.Content.ReadAsByteArrayAsync().DefaultTimeout());
    }

    [Fact]
    public async Task Payload_too_large_is_413_with_its_error_type()
    {
        var id = await OpenAsync("wire-413");

        using var response = await _http.PostAsync(ConnectionsApi.Url(fixture.Gateway, id), new ByteArrayContent(new byte[128 * 1024 + 1])).DefaultTimeout();

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("PayloadTooLargeException", response.Headers.GetValues("x-amzn-ErrorType").Single());
    }

    [Fact]
    public async Task Another_stage_is_403_with_the_forbidden_message()
    {
        var id = await OpenAsync("wire-stage");

        using var response = await _http.PostAsync(ConnectionsApi.Url(fixture.Gateway, id, stage: "prod"), new StringContent("hi")).DefaultTimeout();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("""{"message":"Forbidden"}""", await response.Content.ReadAsStringAsync().DefaultTimeout());
    }

    [Fact]
    public async Task Delete_answers_204()
    {
        var id = await OpenAsync("wire-delete");

        using var response = await _http.DeleteAsync(ConnectionsApi.Url(fixture.Gateway, id)).DefaultTimeout();

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task Get_answers_iso_8601_times_and_the_identity()
    {
        var id = await OpenAsync("wire-get");

        using var response = await _http.GetAsync(ConnectionsApi.Url(fixture.Gateway, id)).DefaultTimeout();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync().DefaultTimeout());
        var root = json.RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["connectedAt", "identity", "lastActiveAt"], root.EnumerateObject().Select(p => p.Name));
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", root.GetProperty("connectedAt").GetString());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", root.GetProperty("lastActiveAt").GetString());
        Assert.Equal("127.0.0.1", root.GetProperty("identity").GetProperty("sourceIp").GetString());
    }

    [Fact]
    public async Task The_path_may_encode_the_at_sign_and_the_id()
    {
        var socket = await fixture.ConnectAsync("marker=wire-encoded");
        var id = (await fixture.ConnectEventAsync("wire-encoded")).ConnectionId!;
        var url = ConnectionsApi.Url(fixture.Gateway, id, encodeAt: true);
        Assert.Contains("%40connections", url.OriginalString);
        Assert.EndsWith("%3D", url.OriginalString);

        using var response = await _http.PostAsync(url, new StringContent("encoded")).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("encoded", await socket.ReceiveTextAsync());
    }

    [Fact]
    public async Task The_id_is_decoded_only_once()
    {
        var id = await OpenAsync("wire-decode-once");
        var doubleEncoded = new Uri($"http://127.0.0.1:{fixture.Gateway.Port}/local/@connections/{id.Replace("=", "%253D")}");

        using var response = await _http.PostAsync(doubleEncoded, new StringContent("x")).DefaultTimeout();

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
    }

    [Fact]
    public async Task Last_active_advances_with_messages()
    {
        var socket = await fixture.ConnectAsync("marker=wire-active");
        var id = (await fixture.ConnectEventAsync("wire-active")).ConnectionId!;
        using var first = await _http.GetAsync(ConnectionsApi.Url(fixture.Gateway, id)).DefaultTimeout();
        var before = JsonDocument.Parse(await first.Content.ReadAsStringAsync().DefaultTimeout()).RootElement.GetProperty("lastActiveAt").GetString();

        await Task.Delay(20);
        await socket.SendTextAsync("""{"action":"echo","n":1}""");
        await socket.ReceiveTextAsync();
        using var second = await _http.GetAsync(ConnectionsApi.Url(fixture.Gateway, id)).DefaultTimeout();
        var after = JsonDocument.Parse(await second.Content.ReadAsStringAsync().DefaultTimeout()).RootElement.GetProperty("lastActiveAt").GetString();

        Assert.True(string.CompareOrdinal(after, before) > 0, $"{after} should be after {before}");
    }
}
