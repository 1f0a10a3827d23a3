using Microsoft.Extensions.Logging;

namespace Realtime.Router.FanOut;

internal static partial class FanOutLog
{
    [LoggerMessage(EventId = 300, EventName = "FannedOut", Level = LogLevel.Debug, Message = "Fan-out to {Audience}: {Delivered} delivered, {Gone} gone, {Failed} failed, {Retried} retries")]
    public static partial void Delivered(ILogger logger, int audience, int delivered, int gone, int failed, int retried);

    [LoggerMessage(EventId = 301, EventName = "GoneRemovalFailed", Level = LogLevel.Warning, Message = "Gone connection {ConnectionId} could not be removed from the registry")]
    public static partial void RemoveFailed(ILogger logger, string connectionId, Exception exception);
}
