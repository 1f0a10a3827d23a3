using Microsoft.Extensions.Logging;
using Realtime.Router.FanOut;

namespace Realtime.Router.Functions;

internal static partial class ShardLog
{
    [LoggerMessage(EventId = 500, EventName = "ShardWorked", Level = LogLevel.Information, Message = "Shard {Range}: {State}: {Delivered} delivered, {Gone} gone, {Failed} failed")]
    public static partial void Worked(ILogger logger, string range, ShardState state, int delivered, int gone, int failed);

    [LoggerMessage(EventId = 501, EventName = "ShardSplit", Level = LogLevel.Information, Message = "Open shard {Range} split into {Shards} shards")]
    public static partial void Split(ILogger logger, string range, int shards);

    [LoggerMessage(EventId = 502, EventName = "ShardRejected", Level = LogLevel.Error, Message = "Record {RecordId} is not a shard: {Reason}")]
    public static partial void Rejected(ILogger logger, string recordId, string reason);

    [LoggerMessage(EventId = 503, EventName = "ShardFailed", Level = LogLevel.Error, Message = "Shard {Range} failed; SQS will deliver it again and it goes on from its saved progress")]
    public static partial void Failed(ILogger logger, string range, Exception exception);

    [LoggerMessage(EventId = 504, EventName = "ShardOutOfTime", Level = LogLevel.Warning, Message = "Shard {Range} reached the invocation's deadline; SQS will deliver it again")]
    public static partial void OutOfTime(ILogger logger, string range);

    [LoggerMessage(EventId = 505, EventName = "ShardLeaseLost", Level = LogLevel.Warning, Message = "{Reason} Stopped; it goes on from the progress saved")]
    public static partial void LeaseLost(ILogger logger, string reason);
}
