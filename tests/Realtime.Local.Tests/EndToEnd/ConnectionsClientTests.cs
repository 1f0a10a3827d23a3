using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Realtime.Connect.Management;
using Realtime.Connect.Registry;
using Realtime.Local.Tests.Infrastructure;
using Realtime.Testing;

namespace Realtime.Local.Tests.EndToEnd;

/// <summary>
/// The project's own signed @connections client, unchanged and with no AWS credentials, against the local host's
/// HTTP @connections: what a backend on the developer's machine would do.
/// </summary>
public sealed class ConnectionsClientTests(RealtimeHostFixture host) : IClassFixture<RealtimeHostFixture>
{
    private readonly ConnectionsClient _client = new(new ConnectionsClientOptions(), TimeProvider.System, NullLogger.Instance);

    [Fact]
    public async Task PostGetAndDeleteReachTheConnection()
    {
        await using var dana = new Client(await host.ConnectAsync("dana-api"), "dana-api");
        var target = new ConnectionTarget(host.Gateway.ManagementEndpoint, await ConnectionIdOfAsync("dana-api"));

        var posted = await _client.PostAsync(target, Encoding.UTF8.GetBytes("""{"type":"notice","text":"from a backend"}"""), CancellationToken.None).DefaultTimeout();
        Assert.Equal(ConnectionsStatus.Ok, posted.Status);
        Assert.Equal("""{"type":"notice","text":"from a backend"}""", await dana.Socket.ReceiveTextAsync());

        var info = await _client.GetAsync(target, CancellationToken.None).DefaultTimeout();
        Assert.Equal(ConnectionsStatus.Ok, info.Status);
        Assert.Equal("127.0.0.1", info.Value!.SourceIp);

        var deleted = await _client.DeleteAsync(target, CancellationToken.None).DefaultTimeout();
        Assert.Equal(ConnectionsStatus.Ok, deleted.Status);
        Assert.Equal((1000, "Connection Closed Normally"), await dana.Socket.ReceiveCloseAsync());

        var afterwards = await _client.PostAsync(target, "late"u8.ToArray(), CancellationToken.None).DefaultTimeout();
        Assert.Equal(ConnectionsStatus.Gone, afterwards.Status);
        Assert.Equal(1, afterwards.Attempts);
        Assert.Equal("GoneException", afterwards.ErrorType);
    }

    [Fact]
    public async Task AnUnknownConnectionIsGoneAndAWrongStageIsForbidden()
    {
        var unknown = await _client.PostAsync(new ConnectionTarget(host.Gateway.ManagementEndpoint, "NoSuchConnId0A="), "x"u8.ToArray(), CancellationToken.None).DefaultTimeout();
        var wrongStage = await _client.PostAsync(new ConnectionTarget(new Uri(host.Gateway.BaseUri, "prod"), "NoSuchConnId0A="), "x"u8.ToArray(), CancellationToken.None).DefaultTimeout();

        Assert.Equal(ConnectionsStatus.Gone, unknown.Status);
        Assert.Equal(ConnectionsStatus.Forbidden, wrongStage.Status);
    }

    private async Task<string> ConnectionIdOfAsync(string user)
    {
        var registry = host.Gateway.Services.GetRequiredService<IConnectionRegistry>();
        var page = await registry.ListUserAsync(user, PageRequest.First(), CancellationToken.None).DefaultTimeout();
        return Assert.Single(page.Items).ConnectionId;
    }
}
