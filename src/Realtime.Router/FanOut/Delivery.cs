namespace Realtime.Router.FanOut;

/// <summary>
/// One message for a topic's audience: its id (the same on every delivery of it, so a client drops a repeat, and the
/// name of its progress in the <c>IDeliveryLedger</c>), the topic and the frame every subscriber gets.
/// </summary>
public sealed record Delivery(string MessageId, string Topic, ReadOnlyMemory<byte> Payload);
