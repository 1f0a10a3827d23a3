using System.Diagnostics;
using System.Text;

namespace Realtime.Local.Tests.Hosting;

/// <summary>
/// The local host as the command runs it: <c>Realtime.Local.dll</c> (copied beside the tests) in a process of its
/// own, with its console captured. Disposing kills the process this test started.
/// </summary>
internal sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly object _sync = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HostProcess(Process process) => _process = process;

    public static HostProcess Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Realtime.Local.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment.Remove("Logging__LogLevel__Default");

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var host = new HostProcess(process);
        process.OutputDataReceived += (_, e) => host.Append(host._output, e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(host._error, e.Data);
        process.Exited += (_, _) => host.Append(host._output, null);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    public string Output
    {
        get { lock (_sync) return _output.ToString(); }
    }

    public string Error
    {
        get { lock (_sync) return _error.ToString(); }
    }

    private void Append(StringBuilder target, string? line)
    {
        TaskCompletionSource changed;
        lock (_sync)
        {
            if (line is not null) target.AppendLine(line);
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }

    /// <summary>Waits until a line of standard output matches, and returns it.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match)
    {
        while (true)
        {
            Task changed;
            lock (_sync)
            {
                var line = _output.ToString().Split('\n').Select(l => l.TrimEnd('\r')).FirstOrDefault(match);
                if (line is not null) return line;
                if (_process.HasExited) throw new InvalidOperationException($"The host exited ({_process.ExitCode}): {_error}{_output}");
                changed = _changed.Task;
            }
            await changed.ConfigureAwait(false);
        }
    }

    public async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync().ConfigureAwait(false);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }
        _process.Dispose();
    }
}
