namespace Realtime.Connect.Functions;

/// <summary>How $connect answers a handshake.</summary>
public sealed record ConnectOptions
{
    public const string SubprotocolsVariable = "REALTIME_SUBPROTOCOLS";

    /// <summary>
    /// The subprotocols the server speaks, in order of preference (<c>REALTIME_SUBPROTOCOLS</c>, comma-separated).
    /// API Gateway never echoes <c>Sec-WebSocket-Protocol</c> itself: $connect must return exactly one of those the
    /// client offered, or browsers abort the handshake.
    /// </summary>
    public IReadOnlyList<string> Subprotocols { get; init; } = [];
}
