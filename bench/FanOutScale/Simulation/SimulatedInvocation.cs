namespace Realtime.Bench.FanOutScale.Simulation;

/// <summary>
/// One Lambda invocation as <see cref="InvocationPool"/> runs it, visible to the code it runs through
/// <see cref="Current"/>. Lambda ends a timed-out or crashed invocation by freezing or killing its process: nothing it
/// does afterwards reaches anyone. In one process that is played by <see cref="HaltIfKilled"/>, which I/O wrappers
/// await around each call, so work for a dead invocation stops at its next I/O and never completes.
/// </summary>
public sealed class SimulatedInvocation
{
    private static readonly AsyncLocal<SimulatedInvocation?> CurrentValue = new();

    private readonly TaskCompletionSource _killed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Never completed: what a dead invocation's awaits wait on. One per invocation, so it is collected with it.
    private readonly TaskCompletionSource _halted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SimulatedInvocation(string requestId, DateTimeOffset deadline)
    {
        RequestId = requestId;
        Deadline = deadline;
    }

    /// <summary>The invocation this code runs for, or null outside the pool.</summary>
    public static SimulatedInvocation? Current
    {
        get => CurrentValue.Value;
        internal set => CurrentValue.Value = value;
    }

    public string RequestId { get; }

    /// <summary>When Lambda would stop the invocation (the function's timeout from its start).</summary>
    public DateTimeOffset Deadline { get; }

    public bool IsKilled => _killed.Task.IsCompleted;

    /// <summary>Completes when the invocation is killed (or timed out).</summary>
    public Task WhenKilled => _killed.Task;

    /// <summary>
    /// For the current invocation, if killed: a task that never completes, so the caller stops where it is as a
    /// killed process would. Otherwise (or outside an invocation) a completed task.
    /// </summary>
    public static Task HaltIfKilled() => Current is { IsKilled: true } invocation ? invocation._halted.Task : Task.CompletedTask;

    /// <summary>Kills the invocation: from now on its I/O halts and whatever it returns is ignored.</summary>
    public void Kill() => _killed.TrySetResult();
}
