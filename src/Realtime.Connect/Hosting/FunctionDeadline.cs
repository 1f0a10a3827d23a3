namespace Realtime.Connect.Hosting;

/// <summary>
/// When an invocation must stop working so that it can still answer before Lambda stops it: the runtime's deadline
/// when a runtime hands one over (<see cref="InvocationContext"/>), else the configured timeout
/// (<c>REALTIME_FUNCTION_TIMEOUT</c>, the template's <c>Timeout</c>) counted from the invocation's start, less a margin
/// for writing the answer. Without either (the local host, which enforces timeouts itself) nothing is cancelled.
/// </summary>
public sealed class FunctionDeadline(TimeSpan? timeout, TimeProvider timeProvider)
{
    public const string TimeoutVariable = "REALTIME_FUNCTION_TIMEOUT";

    private static readonly TimeSpan MinimumMargin = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaximumMargin = TimeSpan.FromSeconds(3);

    // Lambda's longest timeout is 15 minutes; a deadline further off than a day is no deadline (and past what a timer takes).
    private static readonly TimeSpan Longest = TimeSpan.FromDays(1);

    /// <summary>No deadline of its own: only a runtime's.</summary>
    public static FunctionDeadline None { get; } = new(null, TimeProvider.System);

    /// <summary>A token cancelled when this invocation should stop working; dispose it when the invocation ends.</summary>
    public CancellationTokenSource Start()
    {
        var now = timeProvider.GetUtcNow();
        if (End(now) is not { } end) return new CancellationTokenSource();
        var budget = end - now;
        return budget > TimeSpan.Zero ? new CancellationTokenSource(budget, timeProvider) : Cancelled();
    }

    /// <summary>When this invocation should stop working (what <see cref="Start"/> counts down to); null for never.</summary>
    public DateTimeOffset? End() => End(timeProvider.GetUtcNow());

    private DateTimeOffset? End(DateTimeOffset now)
    {
        var deadline = InvocationContext.Current?.Deadline ?? (timeout is { } configured ? now + configured : null);
        if (deadline is not { } end) return null;

        var remaining = end - now;
        if (remaining > Longest) return null;
        // A tenth of the time left, between half a second and three: enough to log and write the answer.
        var margin = TimeSpan.FromTicks(Math.Clamp(remaining.Ticks / 10, MinimumMargin.Ticks, MaximumMargin.Ticks));
        return end - margin;
    }

    private static CancellationTokenSource Cancelled()
    {
        var source = new CancellationTokenSource();
        source.Cancel();
        return source;
    }
}
