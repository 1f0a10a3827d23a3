namespace Realtime.Bench.FanOutScale.Simulation;

/// <summary>
/// API Gateway's account-level throttle: a bucket of <c>burst</c> tokens refilled at <c>rate</c> per second, one token
/// per request, a request without a token refused. Time comes from a <see cref="TimeProvider"/> so tests can drive it.
/// A lock, not a lock-free loop: at tens of thousands of takes per second it is uncontended enough to cost nothing.
/// </summary>
public sealed class TokenBucket
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _timeProvider;
    private readonly double _ratePerTick;
    private readonly double _capacity;
    private double _tokens;
    private long _refilledAt;

    public TokenBucket(double ratePerSecond, int burst, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ratePerSecond);
        ArgumentOutOfRangeException.ThrowIfNegative(burst);
        _timeProvider = timeProvider ?? TimeProvider.System;
        RatePerSecond = ratePerSecond;
        Burst = burst;
        _ratePerTick = ratePerSecond / _timeProvider.TimestampFrequency;
        _capacity = burst;
        _tokens = burst;
        _refilledAt = _timeProvider.GetTimestamp();
    }

    public double RatePerSecond { get; }
    public int Burst { get; }

    /// <summary>Takes a token if there is one.</summary>
    public bool TryTake()
    {
        if (double.IsPositiveInfinity(RatePerSecond)) return true;
        lock (_gate)
        {
            var now = _timeProvider.GetTimestamp();
            if (now > _refilledAt)
            {
                _tokens = Math.Min(_capacity, _tokens + (now - _refilledAt) * _ratePerTick);
                _refilledAt = now;
            }
            if (_tokens < 1) return false;
            _tokens -= 1;
            return true;
        }
    }

    /// <summary>Fills the bucket, as after a quiet spell, so one run's leftovers do not starve the next.</summary>
    public void Refill()
    {
        lock (_gate)
        {
            _tokens = _capacity;
            _refilledAt = _timeProvider.GetTimestamp();
        }
    }
}
