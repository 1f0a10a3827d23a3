using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Realtime.Connect.Management;
using Realtime.Connect.Registry;
using Realtime.Local.Publishing;
using Realtime.Router.FanOut;
using Realtime.Testing;

namespace Realtime.Local.Tests.Publishing;

/// <summary>
/// A publish to an audience larger than one invocation serves, in the local host: accepted with 202 and its
/// messageId, then delivered by the host's shard worker off the in-process shard queue, once to each subscriber.
/// </summary>
public sealed class ShardedPublishTests : IAsyncLifetime
{
    private readonly RecordingConnections _connections = new();
    private readonly InMemoryConnectionRegistry _registry = new();
    private WebApplication _app = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddSingleton(TimeProvider.System)
            .AddSingleton<IConnectionRegistry>(_registry)
            .AddSingleton<IConnectionsClient>(_connections)
            .AddSingleton(new ConnectionsEndpoints(new Uri("http://127.0.0.1/local")))
            .AddRealtimeRoutes(fanOut: new FanOutOptions { DirectAudience = 4, ShardSize = 3, SplitWidth = 2 })
            .AddHostedService<ShardQueueWorker>();
        _app = builder.Build();
        _app.MapPublish(new PublishEndpointOptions { Key = "the-key-1234" });
        await _app.StartAsync().DefaultTimeout();
    }

    [Fact]
    public async Task ALargeAudienceIsAcceptedWith202AndTheShardWorkerDeliversToEachSubscriberOnce()
    {
        var ids = Enumerable.Range(0, 10).Select(i => $"conn{i:D2}=").ToList();
        foreach (var id in ids)
        {
            await _registry.AddAsync(new Connection(id, null, DateTimeOffset.UtcNow, "127.0.0.1", "local", null), CancellationToken.None).DefaultTimeout();
            await _registry.SubscribeAsync(id, "wishlist:big", CancellationToken.None).DefaultTimeout();
        }

        var context = await _app.GetTestServer().SendAsync(http =>
        {
            http.Connection.RemoteIpAddress = IPAddress.Loopback;
            http.Request.Method = "POST";
            http.Request.Path = "/publish";
            http.Request.Headers[PublishEndpointOptions.KeyHeader] = "the-key-1234";
            http.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes("""{"topic":"wishlist:big","event":"restocked"}"""));
        }).DefaultTimeout();
        using var answer = await JsonDocument.ParseAsync(context.Response.Body).DefaultTimeout();
        var messageId = answer.RootElement.GetProperty("messageId").GetString();

        Assert.Equal(202, context.Response.StatusCode);
        Assert.Equal(3, answer.RootElement.GetProperty("shards").GetInt32()); // two shards of 3 and the open rest
        await _connections.WaitForAsync(ids.Count).DefaultTimeout();
        Assert.Equal(ids, _connections.Posts.Keys.Order(StringComparer.Ordinal));
        Assert.All(_connections.Posts.Values, frames => Assert.Equal(
            $$"""{"type":"event","topic":"wishlist:big","event":"restocked","messageId":"{{messageId}}"}""", Assert.Single(frames)));
    }

    public async Task DisposeAsync() => await _app.DisposeAsync().AsTask().DefaultTimeout();

    private sealed class RecordingConnections : IConnectionsClient
    {
        private readonly TaskCompletionSource _enough = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _expected = int.MaxValue;
        private int _count;

        public ConcurrentDictionary<string, ConcurrentQueue<string>> Posts { get; } = new();

        public Task WaitForAsync(int posts)
        {
            Volatile.Write(ref _expected, posts);
            if (Volatile.Read(ref _count) >= posts) _enough.TrySetResult();
            return _enough.Task;
        }

        public ValueTask<ConnectionsResult> PostAsync(ConnectionTarget target, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        {
            Posts.GetOrAdd(target.ConnectionId, _ => new()).Enqueue(Encoding.UTF8.GetString(data.Span));
            if (Interlocked.Increment(ref _count) >= Volatile.Read(ref _expected)) _enough.TrySetResult();
            return ValueTask.FromResult(new ConnectionsResult(ConnectionsStatus.Ok, 200, 1));
        }

        public ValueTask<ConnectionsResult<ConnectionInfo>> GetAsync(ConnectionTarget target, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("nothing should be read");

        public ValueTask<ConnectionsResult> DeleteAsync(ConnectionTarget target, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("nothing should be deleted");
    }
}
