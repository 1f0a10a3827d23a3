namespace Realtime.Connect.Management;

/// <summary>How a call to @connections ended, in terms a caller can act on without parsing error strings.</summary>
public enum ConnectionsStatus
{
    /// <summary>2xx: posted, read or deleted.</summary>
    Ok,
    /// <summary>410 GoneException: the connection no longer exists. Remove it; never retried.</summary>
    Gone,
    /// <summary>403 ForbiddenException: wrong endpoint, path or credentials. Never retried.</summary>
    Forbidden,
    /// <summary>413 PayloadTooLargeException: the data is over 128 KB. Never retried.</summary>
    PayloadTooLarge,
    /// <summary>429 LimitExceededException, still so after the retries.</summary>
    Throttled,
    /// <summary>5xx, still so after the retries.</summary>
    ServerError,
    /// <summary>No answer before the deadline.</summary>
    TimedOut,
    /// <summary>The request never got an HTTP answer (connection refused, reset, DNS), still so after the retries.</summary>
    TransportError,
    /// <summary>Another 4xx (400, 404, ...): the request itself is wrong. Never retried.</summary>
    Rejected,
}

/// <summary>The outcome of one @connections call, after any retries.</summary>
/// <remarks>A call refused before anything was sent (a payload over 128 KB) has <see cref="Attempts"/> 0.</remarks>
/// <param name="Status">What happened.</param>
/// <param name="HttpStatusCode">The last HTTP status, or 0 when none came back.</param>
/// <param name="Attempts">How many requests were sent (1 when the first answer was final).</param>
/// <param name="ErrorType">The <c>x-amzn-ErrorType</c> of the last answer, when there was one.</param>
/// <param name="Throttles">How many of the attempts were answered 429: the signal a caller paces itself by.</param>
/// <param name="Timeouts">
/// How many attempts got no answer in time. Such an attempt may have been delivered, so a retry after it may deliver
/// the payload twice: the one kind of repeat a client must expect (and drops by the payload's messageId).
/// </param>
public readonly record struct ConnectionsResult(ConnectionsStatus Status, int HttpStatusCode, int Attempts, string? ErrorType = null, int Throttles = 0, int Timeouts = 0)
{
    public bool IsOk => Status == ConnectionsStatus.Ok;
}

/// <summary>The outcome of a call that returns a value when it succeeds.</summary>
public readonly record struct ConnectionsResult<T>(ConnectionsResult Result, T? Value)
{
    public ConnectionsStatus Status => Result.Status;
    public bool IsOk => Result.IsOk;
}
