namespace Realtime.Bench.FanOutScale.Simulation;

/// <summary>One message as a receive hands it over; what Lambda's SQS event carries for it.</summary>
/// <param name="MessageId">Stable across redeliveries.</param>
/// <param name="ReceiptHandle">New for every receive; only the latest one deletes the message.</param>
/// <param name="Body">The message as sent.</param>
/// <param name="ApproximateReceiveCount">1 on the first receive, one more on each redelivery.</param>
/// <param name="SentAt">When it was sent (<c>SentTimestamp</c>).</param>
/// <param name="FirstReceivedAt">When it was first received (<c>ApproximateFirstReceiveTimestamp</c>).</param>
public sealed record QueuedMessage(string MessageId, string ReceiptHandle, string Body, int ApproximateReceiveCount, DateTimeOffset SentAt, DateTimeOffset FirstReceivedAt);
