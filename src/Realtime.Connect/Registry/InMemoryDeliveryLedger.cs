namespace Realtime.Connect.Registry;

/// <summary>The ledger in memory, for the local host and tests: the same rules as on DynamoDB, in one process.</summary>
public sealed class InMemoryDeliveryLedger(TimeProvider timeProvider) : IDeliveryLedger
{
    private readonly Lock _lock = new();
    private static readonly TimeSpan Kept = TimeSpan.FromDays(1);
    private readonly Dictionary<DeliveryRange, Entry> _entries = [];
    private int _created;

    public Task<DeliveryProgress?> ClaimAsync(DeliveryRange range, string owner, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var entry = EntryOf(range);
            if (entry.Owner is not null && entry.Owner != owner && entry.LeaseUntil > timeProvider.GetUtcNow()) return Task.FromResult<DeliveryProgress?>(null);
            entry.Owner = owner;
            entry.LeaseUntil = leaseUntil;
            return Task.FromResult<DeliveryProgress?>(new DeliveryProgress(entry.Cursor, entry.Done, entry.Pending));
        }
    }

    public Task SaveAsync(DeliveryRange range, string owner, string cursor, IReadOnlyList<string> pending, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var entry = Held(range, owner);
            entry.Cursor = cursor;
            entry.Pending = [.. pending];
            entry.LeaseUntil = leaseUntil;
        }
        return Task.CompletedTask;
    }

    public Task ReleaseAsync(DeliveryRange range, string owner, string? cursor, IReadOnlyList<string> pending, bool done, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var entry = Held(range, owner);
            if (cursor is not null)
            {
                entry.Cursor = cursor;
                entry.Pending = [.. pending];
            }
            entry.Done |= done;
            entry.Owner = null;
        }
        return Task.CompletedTask;
    }

    public Task<DeliverySplit> SplitAsync(DeliveryRange range, DeliverySplit proposed, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var entry = EntryOf(range);
            entry.Split ??= proposed;
            return Task.FromResult(entry.Split);
        }
    }

    private Entry EntryOf(DeliveryRange range)
    {
        if (_entries.TryGetValue(range, out var entry)) return entry;
        var now = timeProvider.GetUtcNow();
        // Expire as DynamoDB's TTL would, so a long-running host does not keep every message's progress.
        if (++_created % 1024 == 0)
        {
            foreach (var (key, _) in _entries.Where(e => e.Value.Created + Kept < now).ToList()) _entries.Remove(key);
        }
        return _entries[range] = new Entry { Created = now };
    }

    private Entry Held(DeliveryRange range, string owner) =>
        _entries.TryGetValue(range, out var entry) && entry.Owner == owner ? entry : throw new LeaseLostException(range);

    private sealed class Entry
    {
        public DateTimeOffset Created { get; init; }
        public string? Owner { get; set; }
        public DateTimeOffset LeaseUntil { get; set; }
        public string? Cursor { get; set; }
        public IReadOnlyList<string> Pending { get; set; } = [];
        public bool Done { get; set; }
        public DeliverySplit? Split { get; set; }
    }
}
