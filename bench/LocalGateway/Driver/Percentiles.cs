using System.Diagnostics;

namespace Realtime.Bench.LocalGateway.Driver;

/// <summary>Nearest-rank percentiles over sorted samples, in milliseconds.</summary>
internal sealed class Percentiles(long[] sortedTicks)
{
    public int Count => sortedTicks.Length;

    public double At(double percentile)
    {
        if (sortedTicks.Length == 0)
        {
            return double.NaN;
        }
        var rank = (int)Math.Ceiling(percentile / 100 * sortedTicks.Length);
        return ToMilliseconds(sortedTicks[Math.Clamp(rank - 1, 0, sortedTicks.Length - 1)]);
    }

    public double Max => sortedTicks.Length == 0 ? double.NaN : ToMilliseconds(sortedTicks[^1]);

    private static double ToMilliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
