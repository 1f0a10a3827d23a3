namespace Realtime.Bench.FanOutScale.Simulation;

/// <summary>What one load run of <see cref="SelfCheck"/> observed from the client's side.</summary>
/// <param name="SteadyPerSecond">Completions per second over the middle 90 % of them, without ramp-up and tail.</param>
/// <param name="Window">Server counters, process CPU and the machine's busy share over the run's steady window, if it had one.</param>
internal sealed record LoadResult(int Sent, TimeSpan Elapsed, TimeSpan Cpu, Dictionary<int, int> Status, int Timeouts, double MedianMs, double P99Ms,
    double SteadyPerSecond, LoadWindow? Window);
