using System.Diagnostics;

namespace Realtime.Testing.Browser;

/// <summary>
/// What the browser tests need on the machine: Debian's Chromium (installed with apt-get the first time, when the
/// tests run as root, as they do in CI) and playwright-core from npm in <c>tests/browser</c> (installed from its lock
/// file). A missing piece that cannot be installed fails the test with the command to run, never skips it.
/// </summary>
public static class BrowserTools
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    public static string Chromium => Environment.GetEnvironmentVariable("CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static string ScriptsDirectory => Path.Combine(RepositoryFiles.Root, "tests", "browser");

    public static async Task EnsureInstalledAsync()
    {
        await InstallLock.WaitAsync().DefaultTimeout(TimeSpan.FromMinutes(10));
        try
        {
            if (!File.Exists(Chromium))
            {
                await RunAsync("apt-get", ["update", "-qq"], RepositoryFiles.Root, TimeSpan.FromMinutes(5));
                await RunAsync("apt-get", ["install", "-y", "-qq", "chromium"], RepositoryFiles.Root, TimeSpan.FromMinutes(8));
                if (!File.Exists(Chromium)) throw new InvalidOperationException($"Chromium is not at {Chromium}; install it with: apt-get install -y chromium");
            }
            if (!Directory.Exists(Path.Combine(ScriptsDirectory, "node_modules", "playwright-core")))
            {
                await RunAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], ScriptsDirectory, TimeSpan.FromMinutes(5));
            }
        }
        finally
        {
            InstallLock.Release();
        }
    }

    /// <summary>Runs <c>node {script} {args}</c> in tests/browser; returns the exit code and everything it printed.</summary>
    public static Task<(int ExitCode, string Output)> RunScriptAsync(string script, IEnumerable<string> arguments, TimeSpan timeout) =>
        RunAsync("node", [script, .. arguments], ScriptsDirectory, timeout, throwOnFailure: false);

    private static async Task<(int ExitCode, string Output)> RunAsync(string command, IEnumerable<string> arguments, string directory, TimeSpan timeout, bool throwOnFailure = true)
    {
        var start = new ProcessStartInfo(command, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        start.Environment["CHROMIUM"] = Chromium;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {command}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{command} {string.Join(' ', arguments)} did not finish within {timeout}.");
        }
        var output = await stdout.DefaultTimeout() + await stderr.DefaultTimeout();
        if (throwOnFailure && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}:\n{output}");
        }
        return (process.ExitCode, output);
    }
}
