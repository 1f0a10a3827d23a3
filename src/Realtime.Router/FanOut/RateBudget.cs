namespace Realtime.Router.FanOut;

/// <summary>
/// A token bucket over the posts of one process: at most <c>perSecond</c> on average, in bursts of a tenth of a second
/// of them. It holds a function to its share of the deployment's fan-out budget (the budget divided among the
/// invocations that may run at once), so that fan-out leaves the rest of the account's rate to everything else.
/// </summary>
public sealed class RateBudget
{
    private static readonly TimeSpan MinimumWait = TimeSpan.FromMilliseconds(5);
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly double _perSecond;
    private readonly double _burst;
    private double _tokens;
    private long _refilled;

    /// <param name="perSecond">Posts per second; 0 for no limit.</param>
    public RateBudget(double perSecond, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(perSecond);
        _time = timeProvider;
        _perSecond = perSecond;
        _burst = Math.Max(1, perSecond / 10);
        _tokens = _burst;
        _refilled = timeProvider.GetTimestamp();
    }

    public static RateBudget Unlimited { get; } = new(0, TimeProvider.System);

    public bool IsUnlimited => _perSecond == 0;

    /// <summary>Takes one post's token, waiting for it when the bucket is empty.</summary>
    public async ValueTask TakeAsync(CancellationToken cancellationToken)
    {
        if (IsUnlimited) return;
        while (true)
        {
            TimeSpan wait;
            lock (_lock)
            {
                var now = _time.GetTimestamp();
                _tokens = Math.Min(_burst, _tokens + (_time.GetElapsedTime(_refilled, now).TotalSeconds * _perSecond));
                _refilled = now;
                if (_tokens >= 1)
                {
                    _tokens -= 1;
                    return;
                }
                // At least a few milliseconds: a delay under one returns at once and the loop would spin. However long
                // the wait turns out, the time actually waited refills the bucket.
                wait = TimeSpan.FromSeconds(Math.Max((1 - _tokens) / _perSecond, MinimumWait.TotalSeconds));
            }
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }
}
