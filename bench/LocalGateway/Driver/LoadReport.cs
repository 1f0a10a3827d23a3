using System.Globalization;

namespace Realtime.Bench.LocalGateway.Driver;

/// <summary>The figures of one run: for a person on stdout, and as one tab-separated row for the script's table.</summary>
internal static class LoadReport
{
    public static void Write(LoadOptions options, RunClock clock, Percentiles latency, long answered, ErrorCounts errors, bool noMeasurement)
    {
        var seconds = noMeasurement ? 0 : clock.Measured.TotalSeconds;
        var rate = seconds > 0 ? latency.Count / seconds : 0;
        var c = CultureInfo.InvariantCulture;

        Console.WriteLine(string.Create(c, $"""
            {options.Label}: {options.Url} expecting {options.Expect.ToString().ToLowerInvariant()}
              connections  {options.Connections} (depth {options.Depth}), warm-up {options.Warmup.TotalSeconds:F0} s, measured {seconds:F1} s
              messages     {latency.Count} ({rate:F0} msg/s), {answered} in all with warm-up and drain
              latency ms   p50 {latency.At(50):F3}  p90 {latency.At(90):F3}  p99 {latency.At(99):F3}  p99.9 {latency.At(99.9):F3}  max {latency.Max:F3}
              errors       {errors}
            """));

        if (options.SummaryPath is { } path && !noMeasurement)
        {
            var row = string.Join('\t',
                options.Label,
                options.Connections.ToString(c),
                options.Depth.ToString(c),
                rate.ToString("F0", c),
                latency.At(50).ToString("F2", c),
                latency.At(99).ToString("F2", c),
                latency.Max.ToString("F2", c),
                errors.Total.ToString(c),
                answered.ToString(c));
            File.AppendAllText(path, row + "\n");
        }
    }
}
