using Microsoft.Extensions.Logging;
using Realtime.Connect.Registry;

namespace Realtime.Router.FanOut;

/// <summary>
/// Posts one closed shard from the queue. Takes the shard's lease in the ledger (so one invocation at a time works
/// it), goes on from the progress saved by any earlier run, saves progress as it posts, and stops
/// <see cref="FanOutOptions.DrainTime"/> before its deadline: then it saves where it stopped and queues the shard
/// again for another invocation to go on from there. A redelivered shard thus resumes where the last run saved: it
/// posts the connections that run had begun without seeing the end of, then goes on after its last post begun. Only
/// posts that ended after that save in a run that died (or whose outcome never came) are made again.
/// </summary>
public sealed class ShardWorker(IConnectionRegistry registry, IDeliveryLedger ledger, IShardQueue queue, RangeDelivery delivery, FanOutOptions options,
    TimeProvider time, ILogger<ShardWorker> logger)
{
    // Without a deadline (the local host) a lease still ends, in case the process dies with it.
    private static readonly TimeSpan LeaseWithoutDeadline = TimeSpan.FromMinutes(15);

    /// <param name="shard">A closed shard.</param>
    /// <param name="deadline">When this invocation must have stopped working; null for none.</param>
    /// <param name="cancellationToken">Cancelled at <paramref name="deadline"/>.</param>
    public async Task<ShardOutcome> PostAsync(Shard shard, DateTimeOffset? deadline, CancellationToken cancellationToken)
    {
        if (shard.Range.IsOpen) throw new ArgumentException("An open range is split, not posted.", nameof(shard));
        var range = shard.Range;
        var owner = Guid.NewGuid().ToString("N");
        var leaseUntil = deadline ?? time.GetUtcNow() + LeaseWithoutDeadline;
        var progress = await ledger.ClaimAsync(range, owner, leaseUntil, cancellationToken).ConfigureAwait(false);
        if (progress is null) return ShardOutcome.Busy(range);
        if (progress.Done)
        {
            await ledger.ReleaseAsync(range, owner, cursor: null, [], done: true, cancellationToken).ConfigureAwait(false);
            return ShardOutcome.AlreadyDone(range);
        }

        // Stop starting posts DrainTime before the deadline, on the same clock as the deadline.
        using var stopAt = deadline is { } end ? new CancellationTokenSource(Max(end - time.GetUtcNow() - options.DrainTime, TimeSpan.Zero), time) : new CancellationTokenSource();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stopAt.Token);
        RangeOutcome outcome;
        try
        {
            outcome = await delivery.PostAsync(
                (page, token) => registry.ListTopicAsync(shard.Topic, page, token),
                shard.Payload,
                from: progress.Cursor ?? range.After,
                progress.Pending,
                until: range.Until,
                checkpoint: (cursor, pending, token) => ledger.SaveAsync(range, owner, cursor, pending, leaseUntil, token),
                stop.Token,
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not LeaseLostException && !cancellationToken.IsCancellationRequested)
        {
            // The registry failed: give the lease back so the redelivery need not wait for it; saved progress stands.
            await ledger.ReleaseAsync(range, owner, cursor: null, [], done: false, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        Broadcaster.Record(outcome.Report);

        await ledger.ReleaseAsync(range, owner, outcome.Cursor, outcome.Pending, outcome.Finished, cancellationToken).ConfigureAwait(false);
        if (outcome.Finished) return ShardOutcome.Posted(range, outcome.Report);

        // Out of time: the rest goes on in another invocation, from the progress just saved.
        await queue.SendAsync([shard], cancellationToken).ConfigureAwait(false);
        FanOutLog.HandedOff(logger, range.ToString(), outcome.Cursor ?? "start");
        return ShardOutcome.HandedOff(range, outcome.Report);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}

/// <summary>How one run of a shard ended.</summary>
public sealed record ShardOutcome(DeliveryRange Range, ShardState State, FanOutReport Report)
{
    public static ShardOutcome Posted(DeliveryRange range, FanOutReport report) => new(range, ShardState.Posted, report);
    public static ShardOutcome HandedOff(DeliveryRange range, FanOutReport report) => new(range, ShardState.HandedOff, report);
    public static ShardOutcome AlreadyDone(DeliveryRange range) => new(range, ShardState.AlreadyDone, FanOutReport.None);
    public static ShardOutcome Busy(DeliveryRange range) => new(range, ShardState.Busy, FanOutReport.None);
}

public enum ShardState
{
    /// <summary>Every connection of the shard has had its post.</summary>
    Posted,
    /// <summary>Stopped before the deadline; the shard is queued again and goes on from its saved progress.</summary>
    HandedOff,
    /// <summary>An earlier run finished it (a redelivery): nothing posted.</summary>
    AlreadyDone,
    /// <summary>Another invocation holds it; try again later.</summary>
    Busy,
}
