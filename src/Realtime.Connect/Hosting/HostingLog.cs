using Microsoft.Extensions.Logging;

namespace Realtime.Connect.Hosting;

internal static partial class HostingLog
{
    [LoggerMessage(EventId = 100, EventName = "MalformedEvent", Level = LogLevel.Error, Message = "The event is not a WebSocket proxy event: {Reason}")]
    public static partial void MalformedEvent(ILogger logger, string reason);

    [LoggerMessage(EventId = 101, EventName = "MissingConnectionId", Level = LogLevel.Error, Message = "The {RouteKey} event has no connection id")]
    public static partial void MissingConnectionId(ILogger logger, string? routeKey);

    [LoggerMessage(EventId = 102, EventName = "HandlerFailed", Level = LogLevel.Error, Message = "{RouteKey} for connection {ConnectionId} failed")]
    public static partial void HandlerFailed(ILogger logger, string? routeKey, string connectionId, Exception exception);

    [LoggerMessage(EventId = 104, EventName = "OutOfTime", Level = LogLevel.Error, Message = "{RouteKey} for connection {ConnectionId} stopped at its deadline")]
    public static partial void OutOfTime(ILogger logger, string? routeKey, string connectionId);

    [LoggerMessage(EventId = 103, EventName = "Misconfigured", Level = LogLevel.Critical, Message = "The function cannot start: {Reason}")]
    public static partial void Misconfigured(ILogger logger, string reason);
}
