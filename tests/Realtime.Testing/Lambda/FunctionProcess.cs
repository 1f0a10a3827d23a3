using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace Realtime.Testing.Lambda;

/// <summary>
/// A function in a process of its own, started as a Lambda runtime starts it: from its unpacked package (the
/// <c>/var/task</c>), with only the variables Lambda sets (the Runtime API, <c>_HANDLER</c>, the task root, the
/// function's name) and the function's own, serving a loopback <see cref="RuntimeApiServer"/>. Its standard output is
/// its log stream. <see cref="ManagedRuntimeProcess"/> starts one under the managed runtime's loader, the custom
/// runtime's tests one from its <c>bootstrap</c>.
/// </summary>
public sealed class FunctionProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly List<(Func<JsonElement, bool> Match, TaskCompletionSource<JsonElement> Found)> _waiters = [];

    private FunctionProcess(Process process, RuntimeApiServer runtimeApi)
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

    /// <param name="start">The runtime's command line; its environment is replaced by Lambda's and the function's.</param>
    /// <param name="taskRoot">The unpacked package.</param>
    /// <param name="handler">The template's Handler, handed over as <c>_HANDLER</c>.</param>
    /// <param name="functionName">Lambda's <c>AWS_LAMBDA_FUNCTION_NAME</c>.</param>
    /// <param name="variables">The runtime's own variables, then the function's environment as the template sets it.</param>
    public static async Task<FunctionProcess> StartAsync(
        ProcessStartInfo start, string taskRoot, string handler, string functionName, params IEnumerable<IReadOnlyDictionary<string, string>> variables)
    {
        var runtimeApi = await RuntimeApiServer.StartAsync();
        start.WorkingDirectory = taskRoot;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;

        // Only what Lambda sets: nothing of the test process's own environment leaks into the function.
        start.Environment.Clear();
        start.Environment["AWS_LAMBDA_RUNTIME_API"] = runtimeApi.Address;
        start.Environment["_HANDLER"] = handler;
        start.Environment["LAMBDA_TASK_ROOT"] = taskRoot;
        start.Environment["AWS_LAMBDA_FUNCTION_NAME"] = functionName;
        foreach (var set in variables)
        {
            foreach (var (name, value) in set) start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        var started = new FunctionProcess(process, runtimeApi);
        process.OutputDataReceived += (_, line) => { if (line.Data is { } data) started.Received(data); };
        process.ErrorDataReceived += (_, line) => { if (line.Data is { } data) started.Received(data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>
    /// The first log line <paramref name="match"/> accepts, as soon as the function has written it: a line written
    /// during an invocation may still be on its way through the pipe when the invocation's answer is in.
    /// </summary>
    public Task<JsonElement> WaitForLogLineAsync(Func<JsonElement, bool> match)
    {
        var found = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters)
        {
            if (LogLines.FirstOrDefault(match) is { ValueKind: JsonValueKind.Object } line) found.SetResult(line);
            else _waiters.Add((match, found));
        }
        return found.Task.DefaultTimeout();
    }

    private void Received(string line)
    {
        lock (_waiters)
        {
            _output.Enqueue(line);
            if (!line.StartsWith('{')) return;
            var json = JsonDocument.Parse(line).RootElement.Clone();
            foreach (var waiter in _waiters.Where(waiter => waiter.Match(json)).ToList())
            {
                waiter.Found.SetResult(json);
                _waiters.Remove(waiter);
            }
        }
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
}
