using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Realtime.Connect.Management;
using Realtime.Connect.Registry;
using Realtime.Router.FanOut;
using Realtime.Testing;
using Realtime.Testing.Connections;

namespace Realtime.Router.Tests.FanOut;

/// <summary>
/// What a fan-out must do on any registry: every live connection gets the payload exactly once, every gone one is
/// removed and never retried. Runs against a real loopback @connections server through the real client.
/// </summary>
public abstract partial class FanOutSpecification : IAsyncLifetime
{
    protected static readonly byte[] Payload = Encoding.UTF8.GetBytes("""{"type":"event","topic":"wishlist:42","event":"item_added"}""");

    protected BackoffSkippingTimeProvider Time { get; } = new();
    protected LoopbackConnectionsServer Server { get; private set; } = null!;
    protected IConnectionRegistry Registry { get; private set; } = null!;

    /// <summary>Topics and users are unique per test, so tests can share one store.</summary>
    protected string Topic { get; } = $"wishlist:{Guid.NewGuid():N}";

    protected string UserId { get; } = $"user-{Guid.NewGuid():N}";

    protected abstract Task<IConnectionRegistry> CreateRegistryAsync();

    /// <summary>The delivery ledger beside the registry (the same table, on DynamoDB), on <paramref name="time"/>.</summary>
    protected abstract Task<IDeliveryLedger> CreateLedgerAsync(TimeProvider time);

    public async Task InitializeAsync()
    {
        Server = await LoopbackConnectionsServer.StartAsync().DefaultTimeout();
        Registry = await CreateRegistryAsync();
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    [Fact]
    public async Task Delivers_to_every_live_connection_of_a_topic_exactly_once()
    {
        var live = await SubscribeAsync(Topic, 53, live: true);

        var report = await Dispatcher(pageSize: 10, concurrency: 8).ToTopicAsync(Topic, Payload, CancellationToken.None).DefaultTimeout();

        Assert.Equal(new FanOutReport(53, 0, 0, 0), report);
        Assert.All(live, id => Assert.Equal(Payload, Assert.Single(Server.MessagesTo(id))));
        Assert.Equal(53, Server.Calls.Count);
    }

    [Fact]
    public async Task Removes_every_gone_connection_and_never_retries_it()
    {
        var live = await SubscribeAsync(Topic, 20, live: true);
        var gone = await SubscribeAsync(Topic, 17, live: false);

        var report = await Dispatcher(pageSize: 6, concurrency: 4).ToTopicAsync(Topic, Payload, CancellationToken.None).DefaultTimeout();

        Assert.Equal(new FanOutReport(20, 17, 0, 0), report);
        Assert.All(gone, id => Assert.Single(Server.CallsFor(id)));
        Assert.Equal(live.Order(StringComparer.Ordinal), await ListTopicAsync(Topic));
        foreach (var id in gone) Assert.Null(await Registry.GetAsync(id, CancellationToken.None).DefaultTimeout());
    }

    [Fact]
    public async Task Delivers_to_every_connection_of_a_user()
    {
        var live = await ConnectUserAsync(UserId, 7, live: true);
        var gone = await ConnectUserAsync(UserId, 2, live: false);

        var report = await Dispatcher(pageSize: 3, concurrency: 2).ToUserAsync(UserId, Payload, CancellationToken.None).DefaultTimeout();

        Assert.Equal(new FanOutReport(7, 2, 0, 0), report);
        Assert.All(live, id => Assert.Single(Server.MessagesTo(id)));
        foreach (var id in gone) Assert.Null(await Registry.GetAsync(id, CancellationToken.None).DefaultTimeout());
    }

    [Fact]
    public async Task A_second_fan_out_reaches_only_the_live_connections()
    {
        await SubscribeAsync(Topic, 5, live: true);
        await SubscribeAsync(Topic, 5, live: false);
        var dispatcher = Dispatcher(pageSize: 4, concurrency: 3);

        await dispatcher.ToTopicAsync(Topic, Payload, CancellationToken.None).DefaultTimeout();
        var second = await dispatcher.ToTopicAsync(Topic, Payload, CancellationToken.None).DefaultTimeout();

        Assert.Equal(new FanOutReport(5, 0, 0, 0), second);
    }

    protected Broadcaster Dispatcher(int pageSize, int concurrency, IConnectionsClient? client = null) =>
        FanOutParts.Broadcaster(Registry,
            client ?? new ConnectionsClient(new ConnectionsClientOptions { Randomizer = static () => 0 }, Time, NullLogger.Instance),
            new ConnectionsEndpoints(Server.Endpoint),
            new FanOutOptions { PageSize = pageSize, MaxConcurrency = concurrency });

    /// <summary>Records <paramref name="count"/> connections subscribed to <paramref name="topic"/>; live ones are connected on the server.</summary>
    protected async Task<List<string>> SubscribeAsync(string topic, int count, bool live)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var id = NewConnectionId();
            await Registry.AddAsync(new Connection(id, null, DateTimeOffset.UtcNow, "abcde12345.execute-api.us-east-1.amazonaws.com", "prod", "203.0.113.10"), CancellationToken.None).DefaultTimeout();
            Assert.Equal(SubscribeResult.Subscribed, await Registry.SubscribeAsync(id, topic, CancellationToken.None).DefaultTimeout());
            if (live) Server.Connect(id);
            ids.Add(id);
        }
        return ids;
    }

    protected async Task<List<string>> ConnectUserAsync(string userId, int count, bool live)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var id = NewConnectionId();
            await Registry.AddAsync(new Connection(id, userId, DateTimeOffset.UtcNow, "abcde12345.execute-api.us-east-1.amazonaws.com", "prod", null), CancellationToken.None).DefaultTimeout();
            if (live) Server.Connect(id);
            ids.Add(id);
        }
        return ids;
    }

    protected async Task<List<string>> ListTopicAsync(string topic)
    {
        var ids = new List<string>();
        var page = PageRequest.First(50);
        while (true)
        {
            var result = await Registry.ListTopicAsync(topic, page, CancellationToken.None).DefaultTimeout();
            ids.AddRange(result.Items.Select(c => c.ConnectionId));
            if (result.NextCursor is null) return ids.Order(StringComparer.Ordinal).ToList();
            page = new PageRequest(50, result.NextCursor);
        }
    }

    /// <summary>16 characters of URL-safe base64 ending in '=', the shape API Gateway gives.</summary>
    protected static string NewConnectionId() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(11)).Replace('+', '-').Replace('/', '_')[..15] + "=";
}
