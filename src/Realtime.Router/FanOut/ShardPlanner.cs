using Realtime.Connect.Registry;

namespace Realtime.Router.FanOut;

/// <summary>
/// Splits an open range of an audience into shards of <see cref="FanOutOptions.ShardSize"/> connections: walks the
/// topic's index from the range's start, marks a boundary every ShardSize connections, up to
/// <see cref="FanOutOptions.SplitWidth"/> shards, and leaves the rest as one more open range for another invocation
/// to split. Shards start posting while the rest of a large audience is still being split, and no invocation walks
/// more than SplitWidth shards' worth of the index. The split is recorded in the ledger before any shard is queued:
/// a split made again (a redelivery) yields the same shards, never overlapping ones.
/// </summary>
public sealed class ShardPlanner(IConnectionRegistry registry, IDeliveryLedger ledger, IShardQueue queue, FanOutOptions options)
{
    private const int WalkPageSize = 1000;

    /// <summary>Queues the shards of <paramref name="open"/>'s range; returns how many.</summary>
    public async Task<int> SplitAsync(Shard open, CancellationToken cancellationToken)
    {
        if (!open.Range.IsOpen) throw new ArgumentException("Only an open range is split.", nameof(open));
        var proposed = await WalkAsync(open, cancellationToken).ConfigureAwait(false);
        var split = await ledger.SplitAsync(open.Range, proposed, cancellationToken).ConfigureAwait(false);
        var shards = split.Shards(open.Range).Select(open.With).ToList();
        if (shards.Count > 0) await queue.SendAsync(shards, cancellationToken).ConfigureAwait(false);
        return shards.Count;
    }

    private async Task<DeliverySplit> WalkAsync(Shard open, CancellationToken cancellationToken)
    {
        var boundaries = new List<string>(options.SplitWidth);
        var inShard = 0;
        string? last = null;
        var cursor = open.Range.After;
        while (true)
        {
            var page = await registry.ListTopicAsync(open.Topic, new PageRequest(WalkPageSize, cursor), cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < page.Items.Count; i++)
            {
                last = page.Items[i].ConnectionId;
                if (++inShard < options.ShardSize) continue;
                boundaries.Add(last);
                inShard = 0;
                if (boundaries.Count == options.SplitWidth) return new DeliverySplit(boundaries, i < page.Items.Count - 1 || page.NextCursor is not null);
            }
            if (page.NextCursor is null) break;
            cursor = page.NextCursor;
        }
        // The end of the audience: its last, shorter shard.
        if (inShard > 0) boundaries.Add(last!);
        return new DeliverySplit(boundaries, More: false);
    }
}
