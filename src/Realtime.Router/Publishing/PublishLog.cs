using Microsoft.Extensions.Logging;

namespace Realtime.Router.Publishing;

internal static partial class PublishLog
{
    [LoggerMessage(EventId = 400, EventName = "Published", Level = LogLevel.Information, Message = "Record {RecordId}: {Event} on {Topic}: {Delivered} delivered, {Gone} gone, {Failed} failed")]
    public static partial void Published(ILogger logger, string recordId, string topic, string @event, int delivered, int gone, int failed);

    [LoggerMessage(EventId = 401, EventName = "PublishRejected", Level = LogLevel.Error, Message = "Record {RecordId} is not a valid publish request: {Reason}")]
    public static partial void Rejected(ILogger logger, string recordId, string reason);

    [LoggerMessage(EventId = 402, EventName = "PublishFailed", Level = LogLevel.Error, Message = "Record {RecordId} on {Topic} could not be published")]
    public static partial void Failed(ILogger logger, string recordId, string topic, Exception exception);

    [LoggerMessage(EventId = 404, EventName = "PublishOutOfTime", Level = LogLevel.Warning, Message = "Record {RecordId} on {Topic} stopped at the invocation's deadline; SQS will deliver it again")]
    public static partial void OutOfTime(ILogger logger, string recordId, string topic);

    [LoggerMessage(EventId = 405, EventName = "PublishNotStarted", Level = LogLevel.Warning, Message = "Record {RecordId} was not started before the invocation's deadline; SQS will deliver it again")]
    public static partial void NotStarted(ILogger logger, string recordId);

    [LoggerMessage(EventId = 403, EventName = "MalformedBatch", Level = LogLevel.Error, Message = "The input is not an SQS event: {Reason}")]
    public static partial void MalformedBatch(ILogger logger, string reason);

    [LoggerMessage(EventId = 406, EventName = "PublishQueued", Level = LogLevel.Information, Message = "Record {RecordId}: {Event} on {Topic}: split into {Shards} shards for the shard queue")]
    public static partial void Queued(ILogger logger, string recordId, string topic, string @event, int shards);
}
