using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Realtime.Connect.Management;
using Realtime.Connect.Registry;
using Realtime.Router.FanOut;
using Realtime.Testing;
using Realtime.Testing.Connections;

namespace Realtime.Router.Tests.FanOut;

public class InMemoryFanOutTests : FanOutSpecification
{
    protected override Task<IConnectionRegistry> CreateRegistryAsync() => Task.FromResult<IConnectionRegistry>(new InMemoryConnectionRegistry());

    protected override Task<IDeliveryLedger> CreateLedgerAsync(TimeProvider time) => Task.FromResult<IDeliveryLedger>(new InMemoryDeliveryLedger(time));

    [Fact]
    public async Task Empty_audience_sends_nothing()
    {
        var report = await Dispatcher(pageSize: 10, concurrency: 4).ToTopicAsync(Topic, Payload, CancellationToken.None).DefaultTimeout();

        Assert.Equal(FanOutReport.None, report);
        Assert.Empty(Server.Calls);
    }

    [Fact]
    public async Task Throttled_posts_are_retried_and_counted()
    {
        var ids = await SubscribeAsync(Topic, 12, live: true);
        foreach (var id in ids.Take(5)) Server.Script(id, ConnectionsAnswer.Throttled);
        Server.Script(ids[5], ConnectionsAnswer.InternalError, ConnectionsAnswer.InternalError);

        var report = await Dispatcher(pageSize: 5, concurrency: 4).ToTopicAsync(Topic, Payload, CancellationToken.None).DefaultTimeout();

        Assert.Equal(new FanOutReport(12, 0, 0, 7), report);
        Assert.All(ids, id => Assert.Single(Server.MessagesTo(id)));
    }

    [Fact]
    public async Task Failed_connections_are_reported_and_kept()
    {
        var ids = await SubscribeAsync(Topic, 6, live: true);
        Server.Script(ids[0], ConnectionsAnswer.Forbidden);
        Server.Script(ids[1], ConnectionsAnswer.PayloadTooLarge);

        var report = await Dispatcher(pageSize: 4, concurrency: 2).ToTopicAsync(Topic, Payload, CancellationToken.None).DefaultTimeout();

        Assert.Equal(new FanOutReport(4, 0, 2, 0), report);
        Assert.Single(Server.CallsFor(ids[0]));
        Assert.Single(Server.CallsFor(ids[1]));
        Assert.Equal(ids.Order(StringComparer.Ordinal), await ListTopicAsync(Topic));
    }

    [Fact]
    public async Task Posts_in_flight_never_exceed_the_concurrency()
    {
        await SubscribeAsync(Topic, 40, live: true);
        var client = new GatedClient(fillTo: 6);

        var report = await Dispatcher(pageSize: 7, concurrency: 6, client).ToTopicAsync(Topic, Payload, CancellationToken.None).DefaultTimeout();

        Assert.Equal(40, report.Delivered);
        Assert.Equal(6, client.MaxInFlight);
    }

    [Fact]
    public async Task Audience_is_read_a_page_at_a_time_never_more_than_two_ahead_of_the_posts()
    {
        await SubscribeAsync(Topic, 95, live: true);
        var registry = new PageCountingRegistry(Registry);
        var client = new ReadAheadProbe(registry);
        var dispatcher = FanOutParts.Broadcaster(registry, client, new ConnectionsEndpoints(Server.Endpoint), new FanOutOptions { PageSize = 10, MaxConcurrency = 3 });

        var report = await dispatcher.ToTopicAsync(Topic, Payload, CancellationToken.None).DefaultTimeout();

        Assert.Equal(95, report.Delivered);
        Assert.Equal(10, registry.Pages);
        Assert.All(registry.Sizes, size => Assert.Equal(10, size));
        // Two pages are held at most (the one being posted and the one read ahead), plus the connections already handed
        // to workers whose posts have not started yet: at most MaxConcurrency of them.
        Assert.InRange(client.MaxFetchedAhead, 1, 2 * 10 + 3);
    }

    [Fact]
    public async Task A_connection_is_reached_at_the_configured_endpoint_its_domain_selects_and_never_at_another_host()
    {
        await Registry.AddAsync(new Connection("AaAaAaAaAaAaAaA=", UserId, DateTimeOffset.UtcNow, "abcde12345.execute-api.eu-west-1.amazonaws.com", "prod", null), CancellationToken.None).DefaultTimeout();
        await Registry.AddAsync(new Connection("BbBbBbBbBbBbBbB=", UserId, DateTimeOffset.UtcNow, "ws.example.com", "v2", null), CancellationToken.None).DefaultTimeout();
        // Recorded from a forged $connect: its domain must not become a host the function signs requests for.
        await Registry.AddAsync(new Connection("CcCcCcCcCcCcCcC=", UserId, DateTimeOffset.UtcNow, "attacker.example", "prod", null), CancellationToken.None).DefaultTimeout();
        var client = new GatedClient(fillTo: 1);
        var endpoints = ConnectionsEndpoints.Parse("https://abcde12345.execute-api.eu-west-1.amazonaws.com/prod, https://ws.example.com/v2");
        var dispatcher = FanOutParts.Broadcaster(Registry, client, endpoints, new FanOutOptions());

        await dispatcher.ToUserAsync(UserId, Payload, CancellationToken.None).DefaultTimeout();

        Assert.Equal(
            [
                "AaAaAaAaAaAaAaA= https://abcde12345.execute-api.eu-west-1.amazonaws.com/prod",
                "BbBbBbBbBbBbBbB= https://ws.example.com/v2",
                "CcCcCcCcCcCcCcC= https://abcde12345.execute-api.eu-west-1.amazonaws.com/prod",
            ],
            client.Targets.Select(t => $"{t.ConnectionId} {t.Endpoint.OriginalString}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Cancellation_stops_the_fan_out()
    {
        await SubscribeAsync(Topic, 10, live: true);
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Dispatcher(pageSize: 5, concurrency: 2).ToTopicAsync(Topic, Payload, cancellation.Token).DefaultTimeout());
    }

    /// <summary>Holds every post until <c>fillTo</c> are in flight at once, then lets all through; records the peak.</summary>
    private sealed class GatedClient(int fillTo) : IConnectionsClient
    {
        private readonly TaskCompletionSource _full = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _inFlight;
        private int _maxInFlight;

        public int MaxInFlight => Volatile.Read(ref _maxInFlight);
        public ConcurrentQueue<ConnectionTarget> Targets { get; } = new();

        public async ValueTask<ConnectionsResult> PostAsync(ConnectionTarget target, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        {
            Targets.Enqueue(target);
            var now = Interlocked.Increment(ref _inFlight);
            InterlockedMax(ref _maxInFlight, now);
            if (now >= fillTo) _full.TrySetResult();
            await _full.Task.WaitAsync(cancellationToken);
            Interlocked.Decrement(ref _inFlight);
            return new ConnectionsResult(ConnectionsStatus.Ok, 200, 1);
        }

        public ValueTask<ConnectionsResult<ConnectionInfo>> GetAsync(ConnectionTarget target, CancellationToken cancellationToken) => throw new NotSupportedException();
        public ValueTask<ConnectionsResult> DeleteAsync(ConnectionTarget target, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    /// <summary>Counts how many connections the registry has handed out beyond those already posted to.</summary>
    private sealed class ReadAheadProbe(PageCountingRegistry registry) : IConnectionsClient
    {
        private int _posted;
        private int _maxFetchedAhead;

        public int MaxFetchedAhead => Volatile.Read(ref _maxFetchedAhead);

        public async ValueTask<ConnectionsResult> PostAsync(ConnectionTarget target, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        {
            var posted = Interlocked.Increment(ref _posted);
            InterlockedMax(ref _maxFetchedAhead, registry.Fetched - posted);
            await Task.Yield();
            return new ConnectionsResult(ConnectionsStatus.Ok, 200, 1);
        }

        public ValueTask<ConnectionsResult<ConnectionInfo>> GetAsync(ConnectionTarget target, CancellationToken cancellationToken) => throw new NotSupportedException();
        public ValueTask<ConnectionsResult> DeleteAsync(ConnectionTarget target, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    private sealed class PageCountingRegistry(IConnectionRegistry inner) : IConnectionRegistry
    {
        private int _pages;
        private int _fetched;

        public int Pages => Volatile.Read(ref _pages);
        public int Fetched => Volatile.Read(ref _fetched);
        public ConcurrentQueue<int> Sizes { get; } = new();

        public async Task<ConnectionPage> ListTopicAsync(string topic, PageRequest page, CancellationToken cancellationToken)
        {
            Sizes.Enqueue(page.Size);
            var result = await inner.ListTopicAsync(topic, page, cancellationToken);
            Interlocked.Increment(ref _pages);
            Interlocked.Add(ref _fetched, result.Items.Count);
            return result;
        }

        public Task AddAsync(Connection connection, CancellationToken cancellationToken) => inner.AddAsync(connection, cancellationToken);
        public Task<Connection?> GetAsync(string connectionId, CancellationToken cancellationToken) => inner.GetAsync(connectionId, cancellationToken);
        public Task<bool> RemoveAsync(string connectionId, CancellationToken cancellationToken) => inner.RemoveAsync(connectionId, cancellationToken);
        public Task<int> RemoveAllAsync(IReadOnlyCollection<string> connectionIds, CancellationToken cancellationToken) => inner.RemoveAllAsync(connectionIds, cancellationToken);
        public Task<SubscribeResult> SubscribeAsync(string connectionId, string topic, CancellationToken cancellationToken) => inner.SubscribeAsync(connectionId, topic, cancellationToken);
        public Task<bool> IsSubscribedAsync(string connectionId, string topic, CancellationToken cancellationToken) => inner.IsSubscribedAsync(connectionId, topic, cancellationToken);
        public Task<bool> TryCountMessageAsync(string connectionId, string? userId, MessageRateLimit limit, CancellationToken cancellationToken) => inner.TryCountMessageAsync(connectionId, userId, limit, cancellationToken);
        public Task<bool> UnsubscribeAsync(string connectionId, string topic, CancellationToken cancellationToken) => inner.UnsubscribeAsync(connectionId, topic, cancellationToken);
        public Task<ConnectionPage> ListUserAsync(string userId, PageRequest page, CancellationToken cancellationToken) => inner.ListUserAsync(userId, page, cancellationToken);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current) return;
            current = seen;
        }
    }
}
