namespace Realtime.Local.Connections;

/// <summary>A WebSocket close code and reason, as <c>$disconnect</c> reports them.</summary>
public readonly record struct CloseStatus(int Code, string Reason)
{
    /// <summary>DELETE @connections: the client gets 1000 and $disconnect says "Connection Closed Normally".</summary>
    public static readonly CloseStatus Deleted = new(1000, "Connection Closed Normally");

    /// <summary>The idle timeout and the maximum connection duration.</summary>
    public static readonly CloseStatus GoingAway = new(1001, "Going away");

    /// <summary>A binary frame from the client.</summary>
    public static readonly CloseStatus Unsupported = new(1003, "");

    /// <summary>A frame over 32 KB or a message over 128 KB.</summary>
    public static readonly CloseStatus TooBig = new(1009, "");

    /// <summary>The transport dropped without a close frame.</summary>
    public static readonly CloseStatus Abnormal = new(1006, "");
}
