namespace Realtime.Local.Tests.Infrastructure;

/// <summary>
/// Holds the <c>HoldingFunction</c>'s invocations until a test lets them go (one at a time, or all of a connection's),
/// and counts per connection how many run at once, the most that ever did, and how many have finished, so a test can
/// wait on those counts.
/// </summary>
public sealed class InvocationHold
{
    public readonly record struct Counts(int Running, int Most, int Finished);

    private sealed class Tally
    {
        public Counts Counts;
        public bool Open;
        public readonly Queue<TaskCompletionSource> Held = new();
    }

    private readonly Dictionary<string, Tally> _tallies = new(StringComparer.Ordinal);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task HoldAsync(string connectionId)
    {
        Task released;
        lock (_tallies)
        {
            var tally = Get(connectionId);
            var running = tally.Counts.Running + 1;
            tally.Counts = tally.Counts with { Running = running, Most = Math.Max(running, tally.Counts.Most) };
            if (tally.Open)
            {
                released = Task.CompletedTask;
            }
            else
            {
                var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                tally.Held.Enqueue(held);
                released = held.Task;
            }
            Changed();
        }
        try
        {
            await released.ConfigureAwait(false);
        }
        finally
        {
            lock (_tallies)
            {
                var tally = Get(connectionId);
                tally.Counts = tally.Counts with { Running = tally.Counts.Running - 1, Finished = tally.Counts.Finished + 1 };
                Changed();
            }
        }
    }

    /// <summary>Lets the connection's held invocations, and all its later ones, finish.</summary>
    public void Release(string connectionId)
    {
        lock (_tallies)
        {
            var tally = Get(connectionId);
            tally.Open = true;
            while (tally.Held.TryDequeue(out var held)) held.SetResult();
        }
    }

    /// <summary>Lets the connection's longest-held invocation finish.</summary>
    public void ReleaseOne(string connectionId)
    {
        lock (_tallies) Get(connectionId).Held.Dequeue().SetResult();
    }

    public Counts Of(string connectionId)
    {
        lock (_tallies) return Get(connectionId).Counts;
    }

    /// <summary>Completes when the connection's counts meet <paramref name="condition"/>.</summary>
    public async Task<Counts> WaitAsync(string connectionId, Func<Counts, bool> condition)
    {
        while (true)
        {
            Task changed;
            lock (_tallies)
            {
                var counts = Get(connectionId).Counts;
                if (condition(counts)) return counts;
                changed = _changed.Task;
            }
            await changed.ConfigureAwait(false);
        }
    }

    private Tally Get(string connectionId)
    {
        if (!_tallies.TryGetValue(connectionId, out var tally)) _tallies[connectionId] = tally = new Tally();
        return tally;
    }

    private void Changed()
    {
        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.SetResult();
    }
}
