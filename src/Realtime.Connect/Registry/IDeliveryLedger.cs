namespace Realtime.Connect.Registry;

/// <summary>
/// Where a fan-out keeps its progress through ranges of an audience, so that work which stops (at a deadline, in a
/// crash) resumes where it stopped instead of delivering again, and so that a range is worked by one invocation at a
/// time. A range is named by the message and the connection ids it runs between (<see cref="DeliveryRange"/>).
/// Entries expire on their own a day after they were written.
/// </summary>
public interface IDeliveryLedger
{
    /// <summary>
    /// Takes <paramref name="range"/> for <paramref name="owner"/> until <paramref name="leaseUntil"/>: its progress so
    /// far, or null while another owner's lease on it runs.
    /// </summary>
    Task<DeliveryProgress?> ClaimAsync(DeliveryRange range, string owner, DateTimeOffset leaseUntil, CancellationToken cancellationToken);

    /// <summary>
    /// Records that every connection up to <paramref name="cursor"/> (included) has had its post, except the
    /// <paramref name="pending"/> ones (posts begun whose outcome is not known yet), and extends the lease.
    /// Throws <see cref="LeaseLostException"/> when <paramref name="owner"/> no longer holds the range.
    /// </summary>
    Task SaveAsync(DeliveryRange range, string owner, string cursor, IReadOnlyList<string> pending, DateTimeOffset leaseUntil, CancellationToken cancellationToken);

    /// <summary>
    /// Gives the range up: done, or stopped at <paramref name="cursor"/> (with <paramref name="pending"/> still to
    /// post) for another invocation to go on from. Throws <see cref="LeaseLostException"/> when
    /// <paramref name="owner"/> no longer holds the range.
    /// </summary>
    Task ReleaseAsync(DeliveryRange range, string owner, string? cursor, IReadOnlyList<string> pending, bool done, CancellationToken cancellationToken);

    /// <summary>
    /// Fixes how an open range is split into shards: the first split recorded stands, and every caller gets it back,
    /// so a split that is made again (after a crash, with the audience changed meanwhile) cannot overlap the first.
    /// </summary>
    Task<DeliverySplit> SplitAsync(DeliveryRange range, DeliverySplit proposed, CancellationToken cancellationToken);
}

/// <summary>
/// The connections of one message's audience after <see cref="After"/> (null: from the first) up to
/// <see cref="Until"/> (included; null: to the last).
/// </summary>
public readonly record struct DeliveryRange(string MessageId, string? After, string? Until)
{
    public bool IsOpen => Until is null;

    public override string ToString() => $"{MessageId} ({After ?? "start"}, {Until ?? "end"}]";
}

/// <summary>
/// How far a range has been delivered: up to <see cref="Cursor"/> (null: nothing yet) but for <see cref="Pending"/>,
/// or all of it.
/// </summary>
public sealed record DeliveryProgress(string? Cursor, bool Done, IReadOnlyList<string> Pending)
{
    public static readonly DeliveryProgress None = new(null, false, []);
}

/// <summary>
/// An open range cut into shards: shard <c>i</c> runs up to <see cref="Boundaries"/>[i] (included), from the previous
/// boundary; when <see cref="More"/>, the audience goes on past the last boundary, as a new open range.
/// </summary>
public sealed record DeliverySplit(IReadOnlyList<string> Boundaries, bool More)
{
    /// <summary>The shards of <paramref name="range"/> this split makes, the open remainder last.</summary>
    public IEnumerable<DeliveryRange> Shards(DeliveryRange range)
    {
        var after = range.After;
        foreach (var boundary in Boundaries)
        {
            yield return range with { After = after, Until = boundary };
            after = boundary;
        }
        if (More) yield return range with { After = after, Until = null };
    }
}

/// <summary>The lease on a range passed to another owner (it ran out): stop working the range at once.</summary>
public sealed class LeaseLostException(DeliveryRange range)
    : Exception($"The lease on {range} is held by another invocation.");
