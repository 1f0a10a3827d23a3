using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Realtime.Connect.Management;
using Realtime.Local.Tests.Infrastructure;

namespace Realtime.Local.Tests.Functional;

/// <summary>
/// The @connections operations, run once over HTTP and once through the in-process client the functions get: both
/// must behave identically.
/// </summary>
public abstract class ConnectionsApiTests(GatewayTemplateFixture fixture)
{
    protected GatewayTemplateFixture Fixture => fixture;

    protected abstract Task<ConnectionsStatus> PostAsync(string connectionId, byte[] data, string? stage = null);
    protected abstract Task<(ConnectionsStatus Status, ConnectionInfo? Info)> GetAsync(string connectionId);
    protected abstract Task<ConnectionsStatus> DeleteAsync(string connectionId);

    private async Task<(ClientWebSocket Socket, string ConnectionId)> OpenAsync(string marker)
    {
        var socket = await fixture.ConnectAsync($"marker={marker}-{GetType().Name}", o => o.SetRequestHeader("User-Agent", "api-agent"));
        return (socket, (await fixture.ConnectEventAsync($"{marker}-{GetType().Name}")).ConnectionId!);
    }

    [Fact]
    public async Task Post_sends_the_data_to_the_client_as_one_text_message()
    {
        var (socket, id) = await OpenAsync("post");
        using var _ = socket;

        Assert.Equal(ConnectionsStatus.Ok, await PostAsync(id, "hello there"u8.ToArray()));

        Assert.Equal("hello there", await socket.ReceiveTextAsync());
    }

    [Fact]
    public async Task Post_of_exactly_128_KB_is_accepted()
    {
        var (socket, id) = await OpenAsync("post-128k");
        using var _ = socket;

        Assert.Equal(ConnectionsStatus.Ok, await PostAsync(id, Encoding.UTF8.GetBytes(new string('y', 128 * 1024))));

        Assert.Equal(128 * 1024, (await socket.ReceiveTextAsync()).Length);
    }

    [Fact]
    public async Task Post_over_128_KB_is_payload_too_large()
    {
        var (socket, id) = await OpenAsync("post-too-large");
        using var _ = socket;

        Assert.Equal(ConnectionsStatus.PayloadTooLarge, await PostAsync(id, new byte[128 * 1024 + 1]));
    }

    [Fact]
    public async Task Post_to_an_unknown_connection_is_gone()
    {
        Assert.Equal(ConnectionsStatus.Gone, await PostAsync("AAAAAAAAAAAAAAA=", "x"u8.ToArray()));
    }

    [Fact]
    public async Task Post_to_another_stage_is_forbidden()
    {
        var (socket, id) = await OpenAsync("post-stage");
        using var _ = socket;

        Assert.Equal(ConnectionsStatus.Forbidden, await PostAsync(id, "x"u8.ToArray(), stage: "prod"));
    }

    [Fact]
    public async Task Get_returns_the_connection_times_and_identity()
    {
        var (socket, id) = await OpenAsync("get");
        using var _ = socket;
        var connect = fixture.Recorder.All(e => e.ConnectionId == id && e.EventType == "CONNECT").Single();

        var (status, info) = await GetAsync(id);

        Assert.Equal(ConnectionsStatus.Ok, status);
        Assert.Equal(connect.Context.GetProperty("connectedAt").GetInt64(), info!.ConnectedAt.ToUnixTimeMilliseconds());
        Assert.True(info.LastActiveAt >= info.ConnectedAt);
        Assert.Equal("127.0.0.1", info.SourceIp);
        Assert.Equal("api-agent", info.UserAgent);
    }

    [Fact]
    public async Task Get_of_an_unknown_connection_is_gone()
    {
        Assert.Equal(ConnectionsStatus.Gone, (await GetAsync("AAAAAAAAAAAAAAA=")).Status);
    }

    [Fact]
    public async Task Delete_closes_the_connection_and_later_calls_are_gone()
    {
        var (socket, id) = await OpenAsync("delete");
        using var _ = socket;

        Assert.Equal(ConnectionsStatus.Ok, await DeleteAsync(id));

        Assert.Equal((1000, "Connection Closed Normally"), await socket.ReceiveCloseAsync());
        Assert.Equal(ConnectionsStatus.Gone, await PostAsync(id, "x"u8.ToArray()));
        Assert.Equal(ConnectionsStatus.Gone, (await GetAsync(id)).Status);
        Assert.Equal(ConnectionsStatus.Gone, await DeleteAsync(id));
    }

    [Fact]
    public async Task Post_after_the_client_closed_is_gone()
    {
        var (socket, id) = await OpenAsync("closed");
        using var _ = socket;

        await socket.CloseAsync(1000, "");
        await fixture.Recorder.WaitAsync(id, "DISCONNECT").DefaultTimeout();

        Assert.Equal(ConnectionsStatus.Gone, await PostAsync(id, "x"u8.ToArray()));
    }
}

public sealed class InProcessConnectionsApiTests(GatewayTemplateFixture fixture) : ConnectionsApiTests(fixture), IClassFixture<GatewayTemplateFixture>
{
    private IConnectionsClient Client => Fixture.Gateway.Services.GetRequiredService<IConnectionsClient>();

    private ConnectionTarget Target(string connectionId, string? stage = null) =>
        new(new Uri($"https://127.0.0.1:{Fixture.Gateway.Port}/{stage ?? Fixture.Gateway.Stage}"), connectionId);

    protected override async Task<ConnectionsStatus> PostAsync(string connectionId, byte[] data, string? stage = null) =>
        (await Client.PostAsync(Target(connectionId, stage), data, CancellationToken.None).DefaultTimeout()).Status;

    protected override async Task<(ConnectionsStatus Status, ConnectionInfo? Info)> GetAsync(string connectionId)
    {
        var result = await Client.GetAsync(Target(connectionId), CancellationToken.None).DefaultTimeout();
        return (result.Status, result.Value);
    }

    protected override async Task<ConnectionsStatus> DeleteAsync(string connectionId) =>
        (await Client.DeleteAsync(Target(connectionId), CancellationToken.None).DefaultTimeout()).Status;
}

public sealed class HttpConnectionsApiTests(GatewayTemplateFixture fixture) : ConnectionsApiTests(fixture), IClassFixture<GatewayTemplateFixture>, IDisposable
{
    private readonly HttpClient _http = new();

    public void Dispose() => _http.Dispose();

    private static ConnectionsStatus StatusOf(HttpResponseMessage response) => (int)response.StatusCode switch
    {
        >= 200 and < 300 => ConnectionsStatus.Ok,
        410 => ConnectionsStatus.Gone,
        403 => ConnectionsStatus.Forbidden,
        413 => ConnectionsStatus.PayloadTooLarge,
        var other => throw new InvalidOperationException($"unexpected status {other}"),
    };

    protected override async Task<ConnectionsStatus> PostAsync(string connectionId, byte[] data, string? stage = null)
    {
        using var response = await _http.PostAsync(ConnectionsApi.Url(Fixture.Gateway, connectionId, stage), new ByteArrayContent(data)).DefaultTimeout();
        return StatusOf(response);
    }

    protected override async Task<(ConnectionsStatus Status, ConnectionInfo? Info)> GetAsync(string connectionId)
    {
        using var response = await _http.GetAsync(ConnectionsApi.Url(Fixture.Gateway, connectionId)).DefaultTimeout();
        var status = StatusOf(response);
        if (status != ConnectionsStatus.Ok) return (status, null);
        using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync().DefaultTimeout());
        var root = json.RootElement;
        var identity = root.GetProperty("identity");
        return (status, new ConnectionInfo(
            DateTimeOffset.Parse(root.GetProperty("connectedAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
            DateTimeOffset.Parse(root.GetProperty("lastActiveAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
            identity.GetProperty("sourceIp").GetString(),
            identity.GetProperty("userAgent").GetString()));
    }

    protected override async Task<ConnectionsStatus> DeleteAsync(string connectionId)
    {
        using var response = await _http.DeleteAsync(ConnectionsApi.Url(Fixture.Gateway, connectionId)).DefaultTimeout();
        return StatusOf(response);
    }
}
