using System.Collections.Concurrent;

namespace Realtime.Local.Connections;

/// <summary>
/// The open connections of both transports, by id: what @connections can reach. A connection is added only once its
/// handshake has completed (so a post during $connect is 410) and removed as soon as either side starts closing.
/// </summary>
public sealed class ConnectionTable
{
    private readonly ConcurrentDictionary<string, GatewayConnection> _connections = new(StringComparer.Ordinal);

    public int Count => _connections.Count;

    public bool TryGet(string connectionId, out GatewayConnection connection) =>
        _connections.TryGetValue(connectionId, out connection!);

    internal bool TryAdd(GatewayConnection connection) => _connections.TryAdd(connection.ConnectionId, connection);

    internal IEnumerable<GatewayConnection> Snapshot() => _connections.Values;

    /// <summary>Closes a connection from the gateway's side: unreachable at once, then the transport closes.</summary>
    public bool Close(GatewayConnection connection, CloseStatus status)
    {
        if (!connection.TryMarkServerClose(status)) return false;
        Remove(connection);
        connection.Invocations.Unbound();
        connection.BeginClose(status);
        return true;
    }

    /// <summary>Records that the client closed (or dropped) the connection. False when the gateway had closed it first.</summary>
    internal bool ClientClosed(GatewayConnection connection)
    {
        if (!connection.TryMarkClientClose()) return false;
        Remove(connection);
        return true;
    }

    private void Remove(GatewayConnection connection) =>
        _connections.TryRemove(new KeyValuePair<string, GatewayConnection>(connection.ConnectionId, connection));
}
