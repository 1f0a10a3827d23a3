namespace Realtime.Local.Connections;

/// <summary>
/// A connection as the gateway sees it, whatever carries it (a raw WebSocket or a SignalR connection): its details,
/// its activity clock for the idle timeout, a way to send it a text message and a way to close it.
/// </summary>
public abstract class GatewayConnection(ConnectionDetails details)
{
    private long _lastActiveAt = details.ConnectedAt;
    private Events.ConnectionFragments? _fragments;
    private int _closing;
    private CloseStatus _serverClose;

    public ConnectionDetails Details { get; } = details;
    public string ConnectionId => Details.ConnectionId;

    /// <summary>The connection's identity and authorizer context as JSON, for its MESSAGE events.</summary>
    internal Events.ConnectionFragments Fragments => _fragments ??= Events.MessageEventWriter.Fragments(Details);

    /// <summary>The invocations its messages have running, which bound how far its transport reads ahead.</summary>
    internal RunningInvocations Invocations { get; } = new();

    /// <summary>"websocket" or "signalr", for the console.</summary>
    public abstract string Transport { get; }

    /// <summary>Epoch milliseconds of the last data message in either direction.</summary>
    public long LastActiveAt => Volatile.Read(ref _lastActiveAt);

    public bool IsClosing => Volatile.Read(ref _closing) != 0;

    /// <summary>The status the gateway closed with, when it closed the connection (not the client).</summary>
    public CloseStatus? ServerClose => Volatile.Read(ref _closing) == 2 ? _serverClose : null;

    public void Touch(long nowMilliseconds) => Volatile.Write(ref _lastActiveAt, nowMilliseconds);

    /// <summary>Sends one text message (a transport splits it into frames as it must).</summary>
    public abstract ValueTask SendTextAsync(ReadOnlyMemory<byte> utf8, CancellationToken cancellationToken);

    /// <summary>Starts closing the transport with this status; returns without waiting for the client.</summary>
    protected internal abstract void BeginClose(CloseStatus status);

    /// <summary>Marks the connection closed by the gateway. Only the first close (by either side) counts.</summary>
    internal bool TryMarkServerClose(CloseStatus status)
    {
        if (Interlocked.CompareExchange(ref _closing, 3, 0) != 0) return false;
        _serverClose = status;
        Volatile.Write(ref _closing, 2);
        return true;
    }

    /// <summary>Marks the connection closed by the client. False when the gateway had closed it first.</summary>
    internal bool TryMarkClientClose() => Interlocked.CompareExchange(ref _closing, 1, 0) == 0;
}
