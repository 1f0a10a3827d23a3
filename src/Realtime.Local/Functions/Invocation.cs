namespace Realtime.Local.Functions;

/// <summary>How an invocation ended, in the terms API Gateway reacts to.</summary>
public enum InvocationOutcome
{
    /// <summary>The function returned; <see cref="Invocation.Output"/> holds its response.</summary>
    Succeeded,
    /// <summary>The function threw (a Lambda function error).</summary>
    Failed,
    /// <summary>The function ran past its own Lambda timeout (a function error too).</summary>
    FunctionTimedOut,
    /// <summary>The integration timeout passed first ("Endpoint request timed out").</summary>
    IntegrationTimedOut,
}

/// <summary>The result of one invocation. The caller owns and disposes <see cref="Output"/>.</summary>
public readonly record struct Invocation(InvocationOutcome Outcome, Stream? Output, Exception? Error, TimeSpan Latency)
{
    public bool Succeeded => Outcome == InvocationOutcome.Succeeded;
    public long LatencyMilliseconds => (long)Latency.TotalMilliseconds;

    /// <summary>
    /// The function was given up on (a timeout or the host stopping) and may still be running and reading its input:
    /// the caller must not reuse the input's buffer.
    /// </summary>
    public bool Abandoned => Outcome is InvocationOutcome.FunctionTimedOut or InvocationOutcome.IntegrationTimedOut ||
                             (Outcome == InvocationOutcome.Failed && Error is OperationCanceledException);
}
