using System.Collections.Concurrent;

namespace Realtime.Local.Functions;

/// <summary>
/// Something that runs against a deadline: whichever of <see cref="TryComplete"/> (it finished) and expiry (the
/// deadline passed first) happens first wins, the other is a no-op.
/// </summary>
public abstract class DeadlineEntry
{
    private int _state; // 0 running, 1 completed, 2 expired

    internal long Deadline { get; set; }

    internal bool IsSettled => Volatile.Read(ref _state) != 0;

    /// <summary>Claims the result for the normal path; false when the deadline already expired it.</summary>
    public bool TryComplete() => Interlocked.CompareExchange(ref _state, 1, 0) == 0;

    internal bool TryExpire() => Interlocked.CompareExchange(ref _state, 2, 0) == 0;

    /// <summary>The deadline passed before the work completed. Runs on a thread-pool thread.</summary>
    protected internal abstract void OnExpired();
}

/// <summary>
/// The deadlines of one limit (a route's timeout). Entries arrive in deadline order, so the queue is swept from its
/// head: settled entries are dropped, expired ones are handed to the thread pool. No timer per entry.
/// </summary>
public sealed class DeadlineQueue
{
    private readonly ConcurrentQueue<DeadlineEntry> _entries = new();
    private readonly long _limitTicks;

    internal DeadlineQueue(TimeSpan limit, long timestampFrequency)
    {
        Limit = limit;
        _limitTicks = (long)(limit.TotalSeconds * timestampFrequency);
    }

    public TimeSpan Limit { get; }

    /// <summary>Starts the clock on <paramref name="entry"/> from <paramref name="startTimestamp"/>.</summary>
    public void Add(DeadlineEntry entry, long startTimestamp)
    {
        entry.Deadline = startTimestamp + _limitTicks;
        _entries.Enqueue(entry);
    }

    internal void Sweep(long now)
    {
        while (_entries.TryPeek(out var head))
        {
            if (!head.IsSettled && head.Deadline > now) return;
            if (!_entries.TryDequeue(out head)) return;
            if (head.TryExpire()) ThreadPool.UnsafeQueueUserWorkItem(static entry => entry.OnExpired(), head, preferLocal: false);
        }
    }
}

/// <summary>
/// Sweeps every <see cref="DeadlineQueue"/> on one periodic timer, every tenth of the shortest limit (between 5 ms and
/// 100 ms), so an invocation is expired at most that late.
/// </summary>
public sealed class DeadlineSweeper : IDisposable
{
    private readonly TimeProvider _time;
    private readonly List<DeadlineQueue> _queues = [];
    private ITimer? _timer;
    private TimeSpan _period = TimeSpan.FromMilliseconds(100);

    public DeadlineSweeper(TimeProvider time) => _time = time;

    public DeadlineQueue Register(TimeSpan limit)
    {
        var queue = new DeadlineQueue(limit, _time.TimestampFrequency);
        lock (_queues)
        {
            _queues.Add(queue);
            var period = TimeSpan.FromMilliseconds(Math.Clamp(limit.TotalMilliseconds / 10, 5, 100));
            if (_timer is null || period < _period)
            {
                _period = period;
                _timer?.Dispose();
                _timer = _time.CreateTimer(static state => ((DeadlineSweeper)state!).Sweep(), this, _period, _period);
            }
        }
        return queue;
    }

    private void Sweep()
    {
        var now = _time.GetTimestamp();
        DeadlineQueue[] queues;
        lock (_queues) queues = [.. _queues];
        foreach (var queue in queues) queue.Sweep(now);
    }

    public void Dispose()
    {
        lock (_queues) _timer?.Dispose();
    }
}
