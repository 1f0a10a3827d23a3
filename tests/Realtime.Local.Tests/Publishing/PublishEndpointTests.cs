using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Realtime.Connect.Management;
using Realtime.Connect.Registry;
using Realtime.Local.Publishing;
using Realtime.Testing;

namespace Realtime.Local.Tests.Publishing;

/// <summary>Who may use POST /publish: callers on this machine, with the key.</summary>
public sealed class PublishEndpointTests : IAsyncLifetime
{
    private WebApplication _app = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddSingleton(TimeProvider.System)
            .AddSingleton<IConnectionRegistry, InMemoryConnectionRegistry>(_ => new InMemoryConnectionRegistry())
            .AddSingleton<IConnectionsClient, NoConnections>()
            .AddSingleton(new ConnectionsEndpoints(new Uri("http://127.0.0.1/local")))
            .AddRealtimeRoutes();
        _app = builder.Build();
        _app.MapPublish(new PublishEndpointOptions { Key = "the-key-1234" });
        await _app.StartAsync().DefaultTimeout();
    }

    [Fact]
    public async Task ACallerFromAnotherMachineIsRefusedWith403()
    {
        var response = await PostAsync(IPAddress.Parse("203.0.113.9"), "the-key-1234").DefaultTimeout();

        Assert.Equal(403, response.Response.StatusCode);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public async Task ALoopbackCallerWithTheKeyPublishes(string address)
    {
        var response = await PostAsync(IPAddress.Parse(address), "the-key-1234").DefaultTimeout();

        Assert.Equal(200, response.Response.StatusCode);
    }

    [Fact]
    public async Task AWrongKeyIs401()
    {
        var response = await PostAsync(IPAddress.Loopback, "the-key-1235").DefaultTimeout();

        Assert.Equal(401, response.Response.StatusCode);
    }

    private Task<Microsoft.AspNetCore.Http.HttpContext> PostAsync(IPAddress remote, string key) =>
        _app.GetTestServer().SendAsync(context =>
        {
            context.Connection.RemoteIpAddress = remote;
            context.Request.Method = "POST";
            context.Request.Path = "/publish";
            context.Request.Headers[PublishEndpointOptions.KeyHeader] = key;
            context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes("""{"topic":"wishlist:1","event":"item_added"}"""));
        });

    public async Task DisposeAsync() => await _app.DisposeAsync().AsTask().DefaultTimeout();

    /// <summary>No connection is subscribed in these tests, so nothing is ever posted.</summary>
    private sealed class NoConnections : IConnectionsClient
    {
        public ValueTask<ConnectionsResult> PostAsync(ConnectionTarget target, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("nothing should be posted");

        public ValueTask<ConnectionsResult<ConnectionInfo>> GetAsync(ConnectionTarget target, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("nothing should be read");

        public ValueTask<ConnectionsResult> DeleteAsync(ConnectionTarget target, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("nothing should be deleted");
    }
}
