using Realtime.Bench.FanOutScale.Simulation;
using Realtime.Connect.Registry;

namespace Realtime.Bench.FanOutScale.Wiring;

/// <summary>The delivery ledger as a killed invocation sees it (nothing more is written); counts its writes.</summary>
internal sealed class KillableLedger(IDeliveryLedger inner) : IDeliveryLedger
{
    private long _writes;

    public long Writes => Interlocked.Read(ref _writes);

    public Task<DeliveryProgress?> ClaimAsync(DeliveryRange range, string owner, DateTimeOffset leaseUntil, CancellationToken cancellationToken) =>
        Halting(() => inner.ClaimAsync(range, owner, leaseUntil, cancellationToken));

    public Task SaveAsync(DeliveryRange range, string owner, string cursor, IReadOnlyList<string> pending, DateTimeOffset leaseUntil, CancellationToken cancellationToken) =>
        Halting(async () => { await inner.SaveAsync(range, owner, cursor, pending, leaseUntil, cancellationToken); return true; });

    public Task ReleaseAsync(DeliveryRange range, string owner, string? cursor, IReadOnlyList<string> pending, bool done, CancellationToken cancellationToken) =>
        Halting(async () => { await inner.ReleaseAsync(range, owner, cursor, pending, done, cancellationToken); return true; });

    public Task<DeliverySplit> SplitAsync(DeliveryRange range, DeliverySplit proposed, CancellationToken cancellationToken) =>
        Halting(() => inner.SplitAsync(range, proposed, cancellationToken));

    private async Task<T> Halting<T>(Func<Task<T>> call)
    {
        await SimulatedInvocation.HaltIfKilled();
        var result = await call();
        Interlocked.Increment(ref _writes);
        await SimulatedInvocation.HaltIfKilled();
        return result;
    }
}
