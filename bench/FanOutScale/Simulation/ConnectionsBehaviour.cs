namespace Realtime.Bench.FanOutScale.Simulation;

/// <summary>
/// How <see cref="AwsLikeConnectionsServer"/> misbehaves. The defaults follow what API Gateway's <c>@connections</c>
/// does under load: an account-wide rate limit with a burst, tens of milliseconds per call with a long tail, a few
/// connections gone, rare server errors and rarer calls that hang after the message went out.
/// </summary>
/// <param name="RatePerSecond">Requests per second the shared token bucket refills; <see cref="double.PositiveInfinity"/> for no limit.</param>
/// <param name="Burst">Requests the bucket holds when full.</param>
/// <param name="LatencyMedian">The median of the log-normal latency.</param>
/// <param name="LatencyP99">Its 99th percentile, which fixes the distribution's spread.</param>
/// <param name="LatencyMin">No answer comes sooner.</param>
/// <param name="LatencyMax">No answer (but a stall) comes later: the tail is cut here.</param>
/// <param name="ThrottledLatencyScale">A 429 comes back this much faster than a delivery.</param>
/// <param name="GoneFraction">Share of connection ids that are gone, decided by the id alone (see <see cref="IsGone"/>).</param>
/// <param name="ServerErrorFraction">Share of posts answered 500 without delivering.</param>
/// <param name="StallFraction">Share of posts delivered whose answer is then held for <see cref="StallFor"/>.</param>
/// <param name="StallFor">How long a stalled post holds its answer.</param>
/// <param name="Seed">Seeds every random draw, so runs with the same behaviour are comparable.</param>
public sealed record ConnectionsBehaviour(
    double RatePerSecond = 10_000,
    int Burst = 5_000,
    TimeSpan? LatencyMedian = null,
    TimeSpan? LatencyP99 = null,
    TimeSpan? LatencyMin = null,
    TimeSpan? LatencyMax = null,
    double ThrottledLatencyScale = 0.25,
    double GoneFraction = 0.01,
    double ServerErrorFraction = 0.001,
    double StallFraction = 0.0005,
    TimeSpan? StallFor = null,
    ulong Seed = 20260101)
{
    /// <summary>The defaults.</summary>
    public static ConnectionsBehaviour Default { get; } = new();

    /// <summary>No rate limit, no latency, nothing gone or failing: the bare cost of the loopback round trip.</summary>
    public static ConnectionsBehaviour Ideal { get; } = new(
        RatePerSecond: double.PositiveInfinity, LatencyMedian: TimeSpan.Zero, LatencyP99: TimeSpan.Zero, LatencyMin: TimeSpan.Zero,
        LatencyMax: TimeSpan.Zero, GoneFraction: 0, ServerErrorFraction: 0, StallFraction: 0);

    public TimeSpan Median => LatencyMedian ?? TimeSpan.FromMilliseconds(20);
    public TimeSpan P99 => LatencyP99 ?? TimeSpan.FromMilliseconds(120);
    public TimeSpan Min => LatencyMin ?? TimeSpan.FromMilliseconds(2);
    public TimeSpan Max => LatencyMax ?? TimeSpan.FromMilliseconds(200);
    public TimeSpan Stall => StallFor ?? TimeSpan.FromSeconds(5);

    /// <summary>
    /// Whether the connection is gone. A stable hash of the id (not <see cref="string.GetHashCode()"/>, which changes
    /// from process to process), so the harness can work out beforehand which connections should not get a message.
    /// </summary>
    public bool IsGone(string connectionId) => GoneFraction > 0 && StableHash.Fraction(connectionId) < GoneFraction;
}
