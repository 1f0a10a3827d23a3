using Realtime.Connect.Management;
using ConnectionInfo = Realtime.Connect.Management.ConnectionInfo;

namespace Realtime.Local.Management;

/// <summary>
/// The @connections client the local host gives its functions: the same operations as the HTTP endpoint, called in
/// process. As over HTTP, an endpoint whose path is not the gateway's stage is 403 Forbidden; the scheme and host
/// are not checked, since functions build the endpoint from the event's domain name.
/// </summary>
public sealed class LocalConnectionsClient(ConnectionsService connections) : IConnectionsClient
{
    public ValueTask<ConnectionsResult> PostAsync(ConnectionTarget target, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        IsBasePath(target) ? connections.PostAsync(target.ConnectionId, data, cancellationToken) : ValueTask.FromResult(ConnectionsService.Forbidden);

    public ValueTask<ConnectionsResult<ConnectionInfo>> GetAsync(ConnectionTarget target, CancellationToken cancellationToken) =>
        ValueTask.FromResult(IsBasePath(target)
            ? connections.Get(target.ConnectionId)
            : new ConnectionsResult<ConnectionInfo>(ConnectionsService.Forbidden, null));

    public ValueTask<ConnectionsResult> DeleteAsync(ConnectionTarget target, CancellationToken cancellationToken) =>
        ValueTask.FromResult(IsBasePath(target) ? connections.Delete(target.ConnectionId) : ConnectionsService.Forbidden);

    /// <summary>Whether the endpoint's path is the stage; read from the original string, which costs no allocation.</summary>
    private bool IsBasePath(ConnectionTarget target)
    {
        var text = target.Endpoint.OriginalString.AsSpan();
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0) text = text[(scheme + 3)..];
        var path = text.IndexOf('/');
        text = path < 0 ? default : text[path..];
        var end = text.IndexOfAny('?', '#');
        if (end >= 0) text = text[..end];
        return text.Trim('/').SequenceEqual(connections.BasePath);
    }
}
