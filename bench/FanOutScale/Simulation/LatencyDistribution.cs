namespace Realtime.Bench.FanOutScale.Simulation;

/// <summary>
/// Log-normal latency given by its median and 99th percentile, clamped to a floor and a ceiling: most calls near the
/// median, a long tail that ends at the ceiling, as network round trips through a managed service look.
/// </summary>
public sealed class LatencyDistribution
{
    // The standard normal's 99th percentile.
    private const double Z99 = 2.3263478740408408;

    private readonly double _medianMs;
    private readonly double _sigma;
    private readonly double _minMs;
    private readonly double _maxMs;

    public LatencyDistribution(TimeSpan median, TimeSpan p99, TimeSpan min, TimeSpan max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(median, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(p99, median);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, min);
        _medianMs = median.TotalMilliseconds;
        _sigma = median > TimeSpan.Zero ? Math.Log(p99 / median) / Z99 : 0;
        _minMs = min.TotalMilliseconds;
        _maxMs = max.TotalMilliseconds;
    }

    /// <summary>The spread of the underlying normal (the log of latency).</summary>
    public double Sigma => _sigma;

    /// <summary>A sample from two independent uniform draws in [0, 1) (Box–Muller).</summary>
    public TimeSpan Sample(double u1, double u2)
    {
        if (_medianMs <= 0) return TimeSpan.FromMilliseconds(_minMs);
        var z = Math.Sqrt(-2 * Math.Log(1 - u1)) * Math.Cos(2 * Math.PI * u2);
        var ms = Math.Clamp(_medianMs * Math.Exp(_sigma * z), _minMs, _maxMs);
        return TimeSpan.FromMilliseconds(ms);
    }
}
