using Microsoft.Extensions.Time.Testing;

namespace Realtime.Testing.Connections;

/// <summary>
/// A <see cref="FakeTimeProvider"/> view that jumps the clock over every delay (a retry backoff) as soon as it is
/// scheduled, so retries run without real waiting and at exact fake instants, while timeouts (timers owned by a
/// CancellationTokenSource) only fire when the test advances <see cref="Fake"/> itself.
/// </summary>
public sealed class BackoffSkippingTimeProvider(FakeTimeProvider fake) : TimeProvider
{
    private int _skipped;

    public BackoffSkippingTimeProvider() : this(new FakeTimeProvider(new DateTimeOffset(2024, 1, 20, 11, 54, 57, TimeSpan.Zero)))
    {
    }

    public FakeTimeProvider Fake { get; } = fake;

    /// <summary>How many delays were skipped.</summary>
    public int Skipped => Volatile.Read(ref _skipped);

    public override DateTimeOffset GetUtcNow() => Fake.GetUtcNow();
    public override long GetTimestamp() => Fake.GetTimestamp();
    public override long TimestampFrequency => Fake.TimestampFrequency;
    public override TimeZoneInfo LocalTimeZone => Fake.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = Fake.CreateTimer(callback, state, dueTime, period);
        if (state is CancellationTokenSource || dueTime == Timeout.InfiniteTimeSpan || dueTime <= TimeSpan.Zero) return timer;

        Interlocked.Increment(ref _skipped);
        // After the caller holds its timer, never inside CreateTimer.
        _ = Task.Run(() => Fake.Advance(dueTime));
        return timer;
    }
}
