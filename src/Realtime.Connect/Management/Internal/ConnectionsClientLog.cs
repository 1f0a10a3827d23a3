using Microsoft.Extensions.Logging;

namespace Realtime.Connect.Management.Internal;

internal static partial class ConnectionsClientLog
{
    [LoggerMessage(EventId = 1, EventName = "Retrying", Level = LogLevel.Debug,
        Message = "@connections {Method} for {ConnectionId} got {Status}; attempt {Attempt} follows in {DelayMs} ms.")]
    public static partial void Retrying(ILogger logger, string method, string connectionId, string status, int attempt, double delayMs);

    [LoggerMessage(EventId = 2, EventName = "CallFailed", Level = LogLevel.Warning,
        Message = "@connections {Method} for {ConnectionId} ended {Status} (HTTP {HttpStatusCode}, {ErrorType}) after {Attempts} attempt(s).")]
    public static partial void CallFailed(ILogger logger, string method, string connectionId, ConnectionsStatus status, int httpStatusCode, string? errorType, int attempts);

    [LoggerMessage(EventId = 3, EventName = "Gone", Level = LogLevel.Debug,
        Message = "@connections {Method} for {ConnectionId}: the connection is gone.")]
    public static partial void Gone(ILogger logger, string method, string connectionId);
}
