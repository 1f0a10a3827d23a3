using System.Diagnostics;

namespace Realtime.Bench.LocalGateway.Driver;

/// <summary>
/// Every measured round trip in Stopwatch ticks, kept whole rather than bucketed: a run is at most a few million
/// samples, and sorting them gives exact percentiles.
/// </summary>
internal sealed class LatencyLog
{
    private long[] _ticks = new long[1024];

    public int Count { get; private set; }

    public void Add(long ticks)
    {
        if (Count == _ticks.Length)
        {
            Array.Resize(ref _ticks, _ticks.Length * 2);
        }
        _ticks[Count++] = ticks;
    }

    public static Percentiles Merge(IEnumerable<LatencyLog> logs)
    {
        var all = new long[logs.Sum(l => l.Count)];
        var offset = 0;
        foreach (var log in logs)
        {
            Array.Copy(log._ticks, 0, all, offset, log.Count);
            offset += log.Count;
        }
        Array.Sort(all);
        return new Percentiles(all);
    }
}

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
