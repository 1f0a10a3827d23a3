namespace Realtime.Connect.Hosting;

/// <summary>
/// The Lambda invocation in progress, as the Runtime API hands it over: its request id, the moment Lambda stops it
/// (<c>Lambda-Runtime-Deadline-Ms</c>) and its X-Ray trace header (<c>Lambda-Runtime-Trace-Id</c>). The project's
/// own runtime sets it around each invocation; under the managed runtime, which hides these, it is null.
/// </summary>
public sealed record InvocationContext(string RequestId, DateTimeOffset Deadline, string? TraceId)
{
    private static readonly AsyncLocal<InvocationContext?> CurrentValue = new();

    /// <summary>The invocation this code runs for, or null outside one (or under the managed runtime).</summary>
    public static InvocationContext? Current
    {
        get => CurrentValue.Value;
        set => CurrentValue.Value = value;
    }
}
