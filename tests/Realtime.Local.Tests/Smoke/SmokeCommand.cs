using System.Diagnostics;

namespace Realtime.Local.Tests.Smoke;

/// <summary>What one run of the smoke command printed and how it exited.</summary>
internal sealed record SmokeResult(int ExitCode, string Output, string Error)
{
    public IReadOnlyList<string> Lines => Output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();

    /// <summary>The line of a step, e.g. <c>publish    FAILED    12 ms  POST /publish answered 401 ...</c>; null when it did not run.</summary>
    public string? Step(string name) => Lines.FirstOrDefault(l => l.StartsWith(name + " ", StringComparison.Ordinal));

    public override string ToString() => $"exit {ExitCode}\n{Output}{Error}";
}

/// <summary>
/// The smoke command as a user runs it: <c>Realtime.Smoke.dll</c> (copied beside the tests by the project reference,
/// wherever the build put them) in a process of its own, run to its end.
/// </summary>
internal static class SmokeCommand
{
    public static async Task<SmokeResult> RunAsync(params string[] args) => await RunAsync(environment: null, args);

    public static async Task<SmokeResult> RunAsync(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Realtime.Smoke.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing; it is copied there by the project reference to tools/Realtime.Smoke.");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(dll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        // A token of the developer's own must not decide what these tests see.
        start.Environment.Remove("REALTIME_TOKEN");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().DefaultTimeout(TimeSpan.FromSeconds(90));
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        return new SmokeResult(process.ExitCode, await output.DefaultTimeout(), await error.DefaultTimeout());
    }
}
