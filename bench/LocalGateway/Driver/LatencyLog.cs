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
