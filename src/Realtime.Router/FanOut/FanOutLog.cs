using Microsoft.Extensions.Logging;

namespace Realtime.Router.FanOut;

internal static partial class FanOutLog
{
    [LoggerMessage(EventId = 300, EventName = "FannedOut", Level = LogLevel.Debug,
        Message = "Fan-out to {Audience} of {Kind} {Key}: {Delivered} delivered, {Gone} gone, {Failed} failed, {Retried} retries, {ElapsedMs} ms")]
    public static partial void Delivered(ILogger logger, string kind, string key, int audience, int delivered, int gone, int failed, int retried, long elapsedMs);

    [LoggerMessage(EventId = 301, EventName = "GoneRemovalFailed", Level = LogLevel.Warning,
        Message = "{Count} gone connections could not be removed from the registry ({ConnectionIds}); their expiry will remove them, or the next fan-out that meets them")]
    public static partial void RemoveFailed(ILogger logger, int count, string connectionIds, Exception exception);

    [LoggerMessage(EventId = 302, EventName = "ShardHandedOff", Level = LogLevel.Information,
        Message = "Shard {Range} stopped before the deadline at {Cursor}; queued to go on from there")]
    public static partial void HandedOff(ILogger logger, string range, string cursor);

    [LoggerMessage(EventId = 303, EventName = "FanOutSharded", Level = LogLevel.Information,
        Message = "Message {MessageId} on {Topic}: audience over {DirectAudience}, split into {Shards} shards on the queue")]
    public static partial void Sharded(ILogger logger, string messageId, string topic, int directAudience, int shards);
}
