using System.Globalization;

namespace Realtime.Bench.ColdStart;

/// <summary>The medians per function and variant, side by side, as a Markdown table.</summary>
internal static class ResultTable
{
    public static void Print(IReadOnlyList<ColdStartResult> results, TextWriter output)
    {
        output.WriteLine("| function | AOT init ms | AOT first answer ms | JIT init ms | JIT first answer ms | AOT/JIT | AOT VmHWM MB | JIT VmHWM MB | runs |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var function in results.Select(result => result.FunctionId).Distinct())
        {
            var aot = results.Where(result => result.FunctionId == function && result.Variant == "aot").ToList();
            var jit = results.Where(result => result.FunctionId == function && result.Variant == "jit").ToList();
            var (aotAnswer, jitAnswer) = (Median(aot, run => run.FirstAnswer.TotalMilliseconds), Median(jit, run => run.FirstAnswer.TotalMilliseconds));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {function} | {Median(aot, run => run.Init.TotalMilliseconds):F0} | {aotAnswer:F0} | {Median(jit, run => run.Init.TotalMilliseconds):F0} | {jitAnswer:F0} | {aotAnswer / jitAnswer:F2} | {Median(aot, run => run.PeakResidentKb) / 1024:F1} | {Median(jit, run => run.PeakResidentKb) / 1024:F1} | {aot.Count} |"));
        }
        var failed = results.Count(result => result.Failed);
        if (failed > 0) output.WriteLine($"{failed} of {results.Count} first invocations answered with an error: the figures are suspect.");
    }

    private static double Median(IReadOnlyList<ColdStartResult> runs, Func<ColdStartResult, double> figure)
    {
        var sorted = runs.Select(figure).Order().ToList();
        return sorted.Count == 0 ? double.NaN
            : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2]
            : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
