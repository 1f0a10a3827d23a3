namespace Realtime.Local.Gateway;

/// <summary>Counts invocations still running, so the host can let them finish before it stops.</summary>
internal sealed class InFlight
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Enter() => Interlocked.Increment(ref _count);

    public void Exit() => Interlocked.Decrement(ref _count);

    public async Task WaitIdleAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }
    }
}
