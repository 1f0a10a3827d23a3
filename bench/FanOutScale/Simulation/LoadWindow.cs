namespace Realtime.Bench.FanOutScale.Simulation;

/// <summary>
/// A stretch of a load run away from its start and end, where rates are sustained ones; with how busy the whole
/// machine was, since CPU headroom on a shared machine is only meaningful next to it.
/// </summary>
internal sealed record LoadWindow(TimeSpan Length, ConnectionsCounters Counters, TimeSpan ProcessCpu, double MachineBusy)
{
    public double PerSecond(long count) => count / Length.TotalSeconds;
}
