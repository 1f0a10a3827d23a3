using Realtime.Local.Connections;

namespace Realtime.Local.Gateway;

/// <summary>
/// The answer to a handshake: accepted (a connection with its details, the one subprotocol $connect chose and the
/// headers it returned), or rejected with an HTTP status.
/// </summary>
public sealed record HandshakeResult(
    int StatusCode,
    ConnectionDetails? Connection,
    string? Subprotocol,
    IReadOnlyList<KeyValuePair<string, string>> ResponseHeaders,
    string? Body)
{
    public bool Accepted => Connection is not null;

    public static HandshakeResult Accept(ConnectionDetails connection, string? subprotocol, IReadOnlyList<KeyValuePair<string, string>> headers) =>
        new(101, connection, subprotocol, headers, null);

    public static HandshakeResult Reject(int statusCode, string? body = null) => new(statusCode, null, null, [], body);
}
