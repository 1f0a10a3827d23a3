namespace Realtime.Bootstrap;

/// <summary>One invocation as <c>/runtime/invocation/next</c> hands it out: its headers and the event's bytes.</summary>
internal sealed record Invocation(string RequestId, DateTimeOffset Deadline, string? TraceId, byte[] Payload);
