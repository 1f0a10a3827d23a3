using Realtime.Connect.Management;

namespace Realtime.Router.FanOut;

/// <summary>
/// How many posts one process keeps in flight, adapted the way TCP adapts its window (AIMD): every post answered
/// without a 429 grows the limit by 1/limit (one more slot per round of posts), and a 429 halves it, at most once per
/// <see cref="FanOutOptions.DecreaseInterval"/> so that one burst of throttling counts once. The account's
/// @connections rate is shared by every invocation, so none can know its share; each backs off when the account is
/// full and grows again when it is not, and together they run near the rate without storms of retries.
/// Shared by every fan-out of the process; the <see cref="RateBudget"/>, when set, caps the pace besides.
/// </summary>
public sealed class AdaptiveConcurrency
{
    private readonly Lock _lock = new();
    private readonly Queue<TaskCompletionSource> _waiting = new();
    private readonly TimeProvider _time;
    private readonly int _min;
    private readonly int _max;
    private readonly TimeSpan _decreaseInterval;
    private double _limit;
    private int _inFlight;
    private long _lastDecrease;
    private long _throttles;

    public AdaptiveConcurrency(FanOutOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validated();
        _time = timeProvider;
        _min = options.MinConcurrency;
        _max = options.MaxConcurrency;
        _limit = Math.Clamp(options.InitialConcurrency, _min, _max);
        _decreaseInterval = options.DecreaseInterval;
        _lastDecrease = long.MinValue;
    }

    /// <summary>Posts allowed in flight now.</summary>
    public int Limit
    {
        get
        {
            lock (_lock) return (int)_limit;
        }
    }

    public int InFlight
    {
        get
        {
            lock (_lock) return _inFlight;
        }
    }

    /// <summary>429 answers seen, over the process's life.</summary>
    public long Throttles => Interlocked.Read(ref _throttles);

    /// <summary>Waits for a slot; every slot taken is given back with <see cref="Release"/>.</summary>
    public ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource waiter;
        lock (_lock)
        {
            if (_waiting.Count == 0 && _inFlight < (int)_limit)
            {
                _inFlight++;
                return ValueTask.CompletedTask;
            }
            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Enqueue(waiter);
        }
        return cancellationToken.CanBeCanceled ? WaitCancellableAsync(waiter, cancellationToken) : new ValueTask(waiter.Task);
    }

    /// <summary>Gives a slot back with the outcome of its post, which adapts the limit.</summary>
    public void Release(ConnectionsResult result)
    {
        lock (_lock)
        {
            _inFlight--;
            if (result.Throttles > 0)
            {
                Interlocked.Add(ref _throttles, result.Throttles);
                var now = _time.GetTimestamp();
                if (_lastDecrease == long.MinValue || _time.GetElapsedTime(_lastDecrease, now) >= _decreaseInterval)
                {
                    _limit = Math.Max(_min, _limit / 2);
                    _lastDecrease = now;
                }
            }
            else if (result.Attempts > 0)
            {
                _limit = Math.Min(_max, _limit + (1 / _limit));
            }
            Grant();
        }
    }

    private async ValueTask WaitCancellableAsync(TaskCompletionSource waiter, CancellationToken cancellationToken)
    {
        await using (cancellationToken.UnsafeRegister(static state => ((TaskCompletionSource)state!).TrySetCanceled(), waiter).ConfigureAwait(false))
        {
            await waiter.Task.ConfigureAwait(false);
        }
    }

    private void Grant()
    {
        // A waiter cancelled meanwhile refuses its slot (TrySetResult fails) and the next one gets it.
        while (_inFlight < (int)_limit && _waiting.TryDequeue(out var next))
        {
            if (next.TrySetResult()) _inFlight++;
        }
    }
}
