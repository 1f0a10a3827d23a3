using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace Realtime.Testing.Lambda;

/// <summary>
/// A function started the way Lambda's managed .NET runtime starts it: its package unpacked in a folder of its own
/// (the <c>/var/task</c>), then <c>dotnet exec --depsfile {task}/{Assembly}.deps.json --runtimeconfig
/// {task}/{Assembly}.runtimeconfig.json {runtime}/Realtime.ManagedRuntime.dll {handler}</c>, where the runtime
/// stand-in sits in a folder of its own (the <c>/var/runtime</c>), with only the variables Lambda would set. The
/// process's standard output is its log stream.
/// </summary>
public sealed class ManagedRuntimeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ManagedRuntimeProcess(Process process, RuntimeApiServer runtimeApi)
    {
        _process = process;
        RuntimeApi = runtimeApi;
    }

    public RuntimeApiServer RuntimeApi { get; }

    /// <summary>Every line the function wrote to standard output or standard error so far.</summary>
    public IReadOnlyList<string> Output => _output.ToArray();

    /// <summary>The lines of standard output that are JSON objects: the function's structured log.</summary>
    public IReadOnlyList<JsonElement> LogLines => Output
        .Where(line => line.StartsWith('{'))
        .Select(line => JsonDocument.Parse(line).RootElement.Clone())
        .ToArray();

    public bool HasExited => _process.HasExited;

    /// <param name="taskRoot">The unpacked function package.</param>
    /// <param name="handler"><c>Assembly::Namespace.Type::Method</c>, as the template's Handler.</param>
    /// <param name="variables">The function's environment, as the template sets it (plus Lambda's own).</param>
    public static async Task<ManagedRuntimeProcess> StartAsync(string taskRoot, string handler, IReadOnlyDictionary<string, string> variables)
    {
        var assembly = handler[..handler.IndexOf("::", StringComparison.Ordinal)];
        var runtimeApi = await RuntimeApiServer.StartAsync();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = taskRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])
                 ["exec",
                  "--depsfile", Path.Combine(taskRoot, assembly + ".deps.json"),
                  "--runtimeconfig", Path.Combine(taskRoot, assembly + ".runtimeconfig.json"),
                  RuntimeFolder.Dll, handler])
        {
            start.ArgumentList.Add(argument);
        }

        // Only what Lambda sets: nothing of the test process's own environment leaks into the function.
        start.Environment.Clear();
        foreach (var name in (string[])["PATH", "HOME", "DOTNET_ROOT"])
        {
            if (Environment.GetEnvironmentVariable(name) is { } value) start.Environment[name] = value;
        }
        start.Environment["AWS_LAMBDA_RUNTIME_API"] = runtimeApi.Address;
        start.Environment["_HANDLER"] = handler;
        start.Environment["LAMBDA_TASK_ROOT"] = taskRoot;
        start.Environment["AWS_LAMBDA_FUNCTION_NAME"] = assembly;
        start.Environment["AWS_EXECUTION_ENV"] = "AWS_Lambda_dotnet10";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in variables) start.Environment[name] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        var started = new ManagedRuntimeProcess(process, runtimeApi);
        process.OutputDataReceived += (_, line) => { if (line.Data is { } data) started._output.Enqueue(data); };
        process.ErrorDataReceived += (_, line) => { if (line.Data is { } data) started._output.Enqueue(data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>Waits until the function asks for its first invocation, or fails with what it printed.</summary>
    public async Task WaitUntilInitializedAsync()
    {
        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(RuntimeApi.Initialized, RuntimeApi.InitError, exited).DefaultTimeout();
        if (first != RuntimeApi.Initialized)
        {
            throw new InvalidOperationException(
                $"The function did not initialize: {(RuntimeApi.InitError.IsCompleted ? RuntimeApi.InitError.Result.ToJsonString() : "process exited")}\n{string.Join('\n', Output)}");
        }
    }

    public Task<InvocationOutcome> InvokeAsync(string json, TimeSpan? timeout = null, string? traceId = null) =>
        RuntimeApi.InvokeAsync(json, timeout, traceId).DefaultTimeout();

    /// <summary>Waits for the process to end (after an initialization error it exits by itself).</summary>
    public Task<int> WaitForExitAsync() =>
        _process.WaitForExitAsync().ContinueWith(_ => _process.ExitCode, TaskScheduler.Default).DefaultTimeout();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().DefaultTimeout();
        _process.Dispose();
        await RuntimeApi.DisposeAsync();
    }

    /// <summary>The runtime stand-in copied into a folder of its own, away from the test binaries.</summary>
    private static class RuntimeFolder
    {
        public static string Dll { get; } = Copy();

        private static string Copy()
        {
            var source = Path.Combine(AppContext.BaseDirectory, "Realtime.ManagedRuntime.dll");
            if (!File.Exists(source)) throw new FileNotFoundException("The runtime stand-in was not built next to the tests.", source);
            var folder = Directory.CreateTempSubdirectory("realtime-runtime-").FullName;
            var target = Path.Combine(folder, "Realtime.ManagedRuntime.dll");
            File.Copy(source, target);
            return target;
        }
    }
}
