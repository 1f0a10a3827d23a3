using Microsoft.Extensions.Logging;
using Realtime.Connect.Management;

namespace Realtime.Router.Routes;

internal static partial class RoutesLog
{
    [LoggerMessage(EventId = 200, EventName = "ReplyFailed", Level = LogLevel.Warning, Message = "The answer to {ConnectionId} was not delivered: {Status} ({HttpStatusCode})")]
    public static partial void ReplyFailed(ILogger logger, string connectionId, ConnectionsStatus status, int httpStatusCode);

    [LoggerMessage(EventId = 201, EventName = "Refused", Level = LogLevel.Information, Message = "{RouteKey} from {ConnectionId} (user {UserId}) refused: {Code}")]
    public static partial void Refused(ILogger logger, string routeKey, string connectionId, string? userId, string code);

    [LoggerMessage(EventId = 202, EventName = "Sent", Level = LogLevel.Information, Message = "Message {MessageId} from {UserId} on {Topic}: {Delivered} delivered, {Gone} gone, {Failed} failed")]
    public static partial void Sent(ILogger logger, string messageId, string? userId, string topic, int delivered, int gone, int failed);
}
