using Microsoft.Extensions.Logging;

namespace Realtime.Local.Gateway;

/// <summary>One console line per gateway event: route, connection id, status and latency.</summary>
internal static partial class GatewayLog
{
    [LoggerMessage(EventId = 1, EventName = "Connected", Level = LogLevel.Information,
        Message = "{RouteKey,-12} {ConnectionId} {Status} {Latency,4} ms  {Transport}")]
    public static partial void Connected(ILogger logger, string routeKey, string connectionId, int status, long latency, string transport);

    [LoggerMessage(EventId = 2, EventName = "ConnectRejected", Level = LogLevel.Information,
        Message = "{RouteKey,-12} {ConnectionId} {Status} {Latency,4} ms  rejected: {Reason}")]
    public static partial void ConnectRejected(ILogger logger, string routeKey, string connectionId, int status, long latency, string reason);

    [LoggerMessage(EventId = 3, EventName = "Message", Level = LogLevel.Information,
        Message = "{RouteKey,-12} {ConnectionId} {Status} {Latency,4} ms")]
    public static partial void Message(ILogger logger, string routeKey, string connectionId, int status, long latency);

    [LoggerMessage(EventId = 4, EventName = "NoRoute", Level = LogLevel.Information,
        Message = "{RouteKey,-12} {ConnectionId} 403    0 ms  no route matches and there is no $default: Forbidden frame")]
    public static partial void NoRoute(ILogger logger, string routeKey, string connectionId);

    [LoggerMessage(EventId = 5, EventName = "Disconnected", Level = LogLevel.Information,
        Message = "{RouteKey,-12} {ConnectionId} {Status} {Latency,4} ms  close {Code} \"{Reason}\"")]
    public static partial void Disconnected(ILogger logger, string routeKey, string connectionId, int status, long latency, int code, string reason);

    [LoggerMessage(EventId = 6, EventName = "FunctionFailed", Level = LogLevel.Warning,
        Message = "{Function} failed on {RouteKey} for {ConnectionId}")]
    public static partial void FunctionFailed(ILogger logger, string function, string routeKey, string connectionId, Exception exception);

    [LoggerMessage(EventId = 7, EventName = "FunctionTimedOut", Level = LogLevel.Warning,
        Message = "{Function} on {RouteKey} for {ConnectionId}: {What} after {Latency} ms")]
    public static partial void FunctionTimedOut(ILogger logger, string function, string routeKey, string connectionId, string what, long latency);

    [LoggerMessage(EventId = 8, EventName = "Closing", Level = LogLevel.Information,
        Message = "{What,-12} {ConnectionId} close {Code} \"{Reason}\"")]
    public static partial void Closing(ILogger logger, string what, string connectionId, int code, string reason);

    [LoggerMessage(EventId = 9, EventName = "ConnectionsCall", Level = LogLevel.Debug,
        Message = "{Method,-12} {ConnectionId} {Status}  @connections")]
    public static partial void ConnectionsCall(ILogger logger, string method, string connectionId, int status);

    [LoggerMessage(EventId = 10, EventName = "MalformedResponse", Level = LogLevel.Warning,
        Message = "{Function} on {RouteKey} for {ConnectionId} returned a response that is not a proxy result: {Problem}")]
    public static partial void MalformedResponse(ILogger logger, string function, string routeKey, string connectionId, string problem);

    [LoggerMessage(EventId = 11, EventName = "DisconnectSkipped", Level = LogLevel.Information,
        Message = "{RouteKey,-12} {ConnectionId}   -    - ms  close {Code} \"{Reason}\" ({Why})")]
    public static partial void DisconnectSkipped(ILogger logger, string routeKey, string connectionId, int code, string reason, string why);

    [LoggerMessage(EventId = 12, EventName = "HostRefused", Level = LogLevel.Warning,
        Message = "{Method} {Path}: 400, Host {Host} is not a loopback name (the host answers localhost, *.localhost, 127.0.0.0/8, [::1])")]
    public static partial void HostRefused(ILogger logger, string method, string path, string host);

    [LoggerMessage(EventId = 13, EventName = "OriginRefused", Level = LogLevel.Warning,
        Message = "{Method} {Path}: 403, a page on {Origin} may not connect (--allow-origin allows it)")]
    public static partial void OriginRefused(ILogger logger, string method, string path, string origin);
}
