namespace Realtime.Bench.FanOutScale.Simulation;

/// <summary>A message's state inside <see cref="SimulatedQueue"/>; only touched under the queue's lock.</summary>
internal sealed class QueueEntry(string messageId, string body, DateTimeOffset sentAt)
{
    public string MessageId { get; } = messageId;
    public string Body { get; } = body;
    public DateTimeOffset SentAt { get; } = sentAt;
    public QueueEntryState State { get; set; } = QueueEntryState.Visible;
    public int ReceiveCount { get; set; }
    public DateTimeOffset FirstReceivedAt { get; set; }
    public string? ReceiptHandle { get; set; }
}
