namespace Realtime.Testing.Connections;

/// <summary>One request <see cref="LoopbackConnectionsServer"/> received, as it came off the wire, and what it answered.</summary>
public sealed record ReceivedCall(
    string Method,
    string RawTarget,
    string ConnectionId,
    string? Authorization,
    string? AmzDate,
    string? SecurityToken,
    string? ContentSha256,
    byte[] Body,
    DateTimeOffset ReceivedAt)
{
    /// <summary>The <c>X-Amzn-Trace-Id</c> header, when the request carried one.</summary>
    public string? TraceHeader { get; init; }

    /// <summary>The HTTP status answered, or 0 when none was (a hang or a reset).</summary>
    public int AnsweredStatus { get; internal set; }
}
