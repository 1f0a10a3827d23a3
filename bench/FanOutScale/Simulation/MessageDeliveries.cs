using System.Collections.Concurrent;

namespace Realtime.Bench.FanOutScale.Simulation;

/// <summary>
/// Who got one message and how often. A delivery is a post answered 200 or a stalled post (the message went out
/// before the answer was held); a connection that got it more than once is a duplicate the fan-out caused by retrying.
/// One entry per connection (its id and a count), about 100 bytes, so a million-connection audience costs ~100 MB.
/// </summary>
public sealed class MessageDeliveries
{
    private readonly ConcurrentDictionary<string, int> _counts;
    private long _deliveries;
    private long _distinct;
    private long _firstDeliveryTicks = long.MaxValue;
    private long _lastDeliveryTicks = long.MinValue;

    internal MessageDeliveries(string messageId, int expectedAudience)
    {
        MessageId = messageId;
        _counts = new ConcurrentDictionary<string, int>(Environment.ProcessorCount, Math.Max(31, expectedAudience), StringComparer.Ordinal);
    }

    public string MessageId { get; }

    /// <summary>Successful deliveries, repeats included.</summary>
    public long Deliveries => Interlocked.Read(ref _deliveries);

    /// <summary>Connections that got the message at least once.</summary>
    public long Distinct => Interlocked.Read(ref _distinct);

    /// <summary>Deliveries beyond the first to the same connection.</summary>
    public long Duplicates => Deliveries - Distinct;

    /// <summary>When the first connection got it, or null before any did.</summary>
    public DateTimeOffset? FirstDeliveryAt => At(Interlocked.Read(ref _firstDeliveryTicks));

    /// <summary>When the last connection to get it got it for the first time: the end of the fan-out as seen by clients.</summary>
    public DateTimeOffset? LastDeliveryAt => At(Interlocked.Read(ref _lastDeliveryTicks));

    public bool WasDelivered(string connectionId) => _counts.ContainsKey(connectionId);

    /// <summary>How many times the connection got the message.</summary>
    public int DeliveryCount(string connectionId) => _counts.TryGetValue(connectionId, out var count) ? count : 0;

    /// <summary>The connections that got the message more than once, with their counts.</summary>
    public IReadOnlyList<KeyValuePair<string, int>> Repeated() => _counts.Where(entry => entry.Value > 1).ToList();

    /// <summary>Every connection that got the message (a snapshot, in no particular order).</summary>
    public IReadOnlyCollection<string> ConnectionIds() => _counts.Keys.ToList();

    internal void Record(string connectionId, DateTimeOffset at)
    {
        Interlocked.Increment(ref _deliveries);
        if (_counts.TryAdd(connectionId, 1))
        {
            Interlocked.Increment(ref _distinct);
            var ticks = at.UtcTicks;
            Raise(ref _lastDeliveryTicks, ticks);
            Lower(ref _firstDeliveryTicks, ticks);
            return;
        }
        _counts.AddOrUpdate(connectionId, static _ => 1, static (_, count) => count + 1);
    }

    private static DateTimeOffset? At(long ticks) => ticks is long.MaxValue or long.MinValue ? null : new DateTimeOffset(ticks, TimeSpan.Zero);

    private static void Raise(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current) return;
            current = seen;
        }
    }

    private static void Lower(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value < current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current) return;
            current = seen;
        }
    }
}
