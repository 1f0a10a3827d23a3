using Realtime.Bench.FanOutScale.Simulation;
using Realtime.Connect.Registry;

namespace Realtime.Bench.FanOutScale.Wiring;

/// <summary>
/// The registry as a killed invocation sees it: no call starts or returns once its invocation is dead, as nothing runs
/// in a killed process. Counts the connections read, for the reads-per-delivery figure.
/// </summary>
internal sealed class KillableRegistry(IConnectionRegistry inner) : IConnectionRegistry
{
    private long _queries;
    private long _itemsRead;

    public long Queries => Interlocked.Read(ref _queries);
    public long ItemsRead => Interlocked.Read(ref _itemsRead);

    public async Task<ConnectionPage> ListTopicAsync(string topic, PageRequest page, CancellationToken cancellationToken)
    {
        await SimulatedInvocation.HaltIfKilled();
        var result = await inner.ListTopicAsync(topic, page, cancellationToken);
        Interlocked.Increment(ref _queries);
        Interlocked.Add(ref _itemsRead, result.Items.Count);
        await SimulatedInvocation.HaltIfKilled();
        return result;
    }

    public Task<bool> RemoveAsync(string connectionId, CancellationToken cancellationToken) => Halting(() => inner.RemoveAsync(connectionId, cancellationToken));
    public Task<int> RemoveAllAsync(IReadOnlyCollection<string> connectionIds, CancellationToken cancellationToken) => Halting(() => inner.RemoveAllAsync(connectionIds, cancellationToken));
    public Task AddAsync(Connection connection, CancellationToken cancellationToken) => Halting(async () => { await inner.AddAsync(connection, cancellationToken); return true; });
    public Task<Connection?> GetAsync(string connectionId, CancellationToken cancellationToken) => Halting(() => inner.GetAsync(connectionId, cancellationToken));
    public Task<SubscribeResult> SubscribeAsync(string connectionId, string topic, CancellationToken cancellationToken) => Halting(() => inner.SubscribeAsync(connectionId, topic, cancellationToken));
    public Task<bool> IsSubscribedAsync(string connectionId, string topic, CancellationToken cancellationToken) => Halting(() => inner.IsSubscribedAsync(connectionId, topic, cancellationToken));
    public Task<bool> TryCountMessageAsync(string connectionId, string? userId, MessageRateLimit limit, CancellationToken cancellationToken) => Halting(() => inner.TryCountMessageAsync(connectionId, userId, limit, cancellationToken));
    public Task<bool> UnsubscribeAsync(string connectionId, string topic, CancellationToken cancellationToken) => Halting(() => inner.UnsubscribeAsync(connectionId, topic, cancellationToken));
    public Task<ConnectionPage> ListUserAsync(string userId, PageRequest page, CancellationToken cancellationToken) => Halting(() => inner.ListUserAsync(userId, page, cancellationToken));

    private static async Task<T> Halting<T>(Func<Task<T>> call)
    {
        await SimulatedInvocation.HaltIfKilled();
        var result = await call();
        await SimulatedInvocation.HaltIfKilled();
        return result;
    }
}
