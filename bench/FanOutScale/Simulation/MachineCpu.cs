namespace Realtime.Bench.FanOutScale.Simulation;

/// <summary>
/// The machine's CPU counters from <c>/proc/stat</c> (Linux), to tell this process's CPU use apart from everyone
/// else's: on a shared two-core machine a low process share can mean others held the cores, not headroom.
/// </summary>
internal static class MachineCpu
{
    /// <summary>Busy and total jiffies over all cores, or zeros where <c>/proc/stat</c> is not there.</summary>
    public static (long Busy, long Total) Read()
    {
        try
        {
            var line = File.ReadLines("/proc/stat").First();
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(long.Parse).ToArray();
            var total = fields.Sum();
            var idle = fields[3] + fields[4];
            return (total - idle, total);
        }
        catch (IOException)
        {
            return (0, 0);
        }
        catch (UnauthorizedAccessException)
        {
            return (0, 0);
        }
    }

    public static double BusyShare((long Busy, long Total) before, (long Busy, long Total) after) =>
        after.Total > before.Total ? (double)(after.Busy - before.Busy) / (after.Total - before.Total) : double.NaN;
}
