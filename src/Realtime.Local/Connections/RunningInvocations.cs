namespace Realtime.Local.Connections;

/// <summary>
/// The invocations a connection's messages have running. Its transport reads the next message only once fewer than
/// the gateway's bound are running, so a client that sends faster than its functions finish is held back by its own
/// socket (TCP backpressure): nothing is dropped, later messages are read and invoked as earlier ones finish.
/// One reader per connection waits; any thread may finish an invocation.
/// </summary>
internal sealed class RunningInvocations
{
    private readonly Lock _lock = new();
    private int _count;
    private bool _unbounded;
    private TaskCompletionSource? _finished;

    public int Count => Volatile.Read(ref _count);

    /// <summary>Completes once fewer than <paramref name="bound"/> are running, or the connection is closing.</summary>
    public ValueTask WaitBelowAsync(int bound, CancellationToken cancellationToken) =>
        Volatile.Read(ref _count) < bound || Volatile.Read(ref _unbounded) ? ValueTask.CompletedTask : WaitSlowAsync(bound, cancellationToken);

    private async ValueTask WaitSlowAsync(int bound, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task finished;
            lock (_lock)
            {
                if (_count < bound || _unbounded) return;
                finished = (_finished ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }
            await finished.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void Started() => Interlocked.Increment(ref _count);

    public void Finished()
    {
        Interlocked.Decrement(ref _count);
        Wake();
    }

    /// <summary>The connection is closing: what the client still sends is read only to be dropped, so the bound no longer applies.</summary>
    public void Unbound()
    {
        Volatile.Write(ref _unbounded, true);
        Wake();
    }

    private void Wake()
    {
        TaskCompletionSource? finished;
        lock (_lock)
        {
            finished = _finished;
            _finished = null;
        }
        finished?.TrySetResult();
    }
}
