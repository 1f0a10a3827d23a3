using System.Diagnostics;
using Realtime.Testing;

namespace Realtime.Deployment.Tests.Infrastructure;

/// <summary>What a command printed and how it ended.</summary>
public sealed record ToolResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n{Output}\n{Error}";
}

/// <summary>Runs the real command-line tools of the AWS path (bash, python3, cfn-lint, aws) from the repository root.</summary>
public static class Tool
{
    public static async Task<ToolResult> RunAsync(string command, IEnumerable<string> arguments, TimeSpan? timeout = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(command)
        {
            WorkingDirectory = RepositoryFiles.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {command}.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().DefaultTimeout(timeout ?? TimeSpan.FromMinutes(2));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return new ToolResult(process.ExitCode, await output, await error);
    }
}
