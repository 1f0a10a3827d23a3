namespace Realtime.Local.WebSockets;

/// <summary>
/// One sender at a time on a socket, with no lock taken when nobody else is sending (the common case): a count of
/// holders and waiters, and a semaphore only for the waiters.
/// </summary>
internal sealed class SendGate : IDisposable
{
    private readonly SemaphoreSlim _waiters = new(0);
    private int _count;

    public ValueTask EnterAsync() =>
        Interlocked.Increment(ref _count) == 1 ? ValueTask.CompletedTask : new ValueTask(_waiters.WaitAsync());

    public void Exit()
    {
        if (Interlocked.Decrement(ref _count) > 0) _waiters.Release();
    }

    public void Dispose() => _waiters.Dispose();
}
