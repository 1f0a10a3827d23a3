using System.Diagnostics;
using Realtime.Testing.Lambda;

namespace Realtime.Bench.ColdStart;

/// <summary>What one cold start took: to the first <c>/next</c>, to the first answer, and the peak resident memory.</summary>
internal sealed record ColdStartResult(string FunctionId, string Variant, TimeSpan Init, TimeSpan FirstAnswer, long PeakResidentKb, bool Failed);

/// <summary>
/// One cold start: a new process of <paramref name="variant"/> for the function, as provided.al2023 starts one, with
/// its first event already waiting at a new loopback Runtime API, so that the clock runs from the process's start to
/// the first answered invocation. The peak resident set (<c>VmHWM</c>) is read once that answer is in, then the
/// process is stopped.
/// </summary>
internal static class ColdStartRun
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    public static async Task<ColdStartResult> MeasureAsync(Variant variant, FunctionSetup function, CancellationToken cancellationToken)
    {
        await using var runtimeApi = await RuntimeApiServer.StartAsync();
        var answer = runtimeApi.InvokeAsync(function.FirstEvent());
        var start = new ProcessStartInfo(variant.FileName, variant.Arguments)
        {
            WorkingDirectory = Path.GetDirectoryName(variant.Arguments.Count > 0 ? variant.Arguments[0] : variant.FileName)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment.Clear();
        foreach (var name in (string[])["PATH", "DOTNET_ROOT"])
        {
            if (Environment.GetEnvironmentVariable(name) is { } value) start.Environment[name] = value;
        }
        start.Environment["AWS_LAMBDA_RUNTIME_API"] = runtimeApi.Address;
        start.Environment["_HANDLER"] = function.Handler;
        start.Environment["AWS_LAMBDA_FUNCTION_NAME"] = function.Id;
        start.Environment["LAMBDA_TASK_ROOT"] = start.WorkingDirectory;
        foreach (var (name, value) in function.Environment) start.Environment[name] = value;

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {variant.FileName}.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await runtimeApi.Initialized.WaitAsync(Limit, cancellationToken);
            var init = clock.Elapsed;
            var outcome = await answer.WaitAsync(Limit, cancellationToken);
            var firstAnswer = clock.Elapsed;
            return new ColdStartResult(function.Id, variant.Name, init, firstAnswer, PeakResidentKb(process.Id), outcome.IsError || IsServerError(outcome));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(cancellationToken);
        }
    }

    // A proxy response's 5xx is a failed request as much as a function error is.
    private static bool IsServerError(InvocationOutcome outcome) =>
        outcome.Json["statusCode"]?.GetValue<int>() is >= 500;

    /// <summary>The process's peak resident set in kB: <c>VmHWM</c> of <c>/proc/{pid}/status</c>.</summary>
    private static long PeakResidentKb(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        throw new InvalidOperationException($"/proc/{pid}/status has no VmHWM.");
    }
}
