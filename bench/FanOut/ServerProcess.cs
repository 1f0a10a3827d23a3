using System.Diagnostics;

namespace Realtime.Bench.FanOut;

/// <summary>This program started again with <c>--serve</c>: the loopback @connections endpoint in its own process.</summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, Uri endpoint)
    {
        _process = process;
        Endpoint = endpoint;
    }

    /// <summary>The @connections endpoint, with the stage <c>local</c>.</summary>
    public Uri Endpoint { get; }

    public int Id => _process.Id;

    /// <summary>CPU time the endpoint process has used so far.</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public static async Task<ServerProcess> StartAsync()
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("No process path.");
        var start = self.EndsWith("dotnet", StringComparison.Ordinal) || self.EndsWith("dotnet.exe", StringComparison.Ordinal)
            ? new ProcessStartInfo(self, [typeof(ServerProcess).Assembly.Location, "--serve"])
            : new ProcessStartInfo(self, ["--serve"]);
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the endpoint process.");
        var address = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30))
            ?? throw new InvalidOperationException("The endpoint process ended before it listened.");
        return new ServerProcess(process, new Uri($"{address.TrimEnd('/')}/local"));
    }

    public async Task<long> PostCountAsync()
    {
        await _process.StandardInput.WriteLineAsync();
        await _process.StandardInput.FlushAsync();
        return long.Parse(await _process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)) ?? "0", System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        if (!_process.WaitForExit(TimeSpan.FromSeconds(10))) _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
