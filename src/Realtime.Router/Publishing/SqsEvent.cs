using System.Text.Json.Serialization;

namespace Realtime.Router.Publishing;

/// <summary>The part of Lambda's SQS event the publish function reads: each record's id and body.</summary>
public sealed record SqsEvent
{
    [JsonPropertyName("Records")]
    public IList<SqsRecord> Records { get; init; } = [];
}

public sealed record SqsRecord
{
    public string MessageId { get; init; } = "";
    public string? Body { get; init; }
    public string? EventSource { get; init; }
}

/// <summary>
/// The partial-batch answer (<c>ReportBatchItemFailures</c>): the records listed are returned to the queue and
/// retried, up to the queue's maxReceiveCount, then go to the dead-letter queue. An empty list deletes the batch.
/// </summary>
public sealed record SqsBatchResponse
{
    public IList<SqsBatchItemFailure> BatchItemFailures { get; init; } = [];
}

public sealed record SqsBatchItemFailure(string ItemIdentifier);
