namespace Realtime.Connect.Management;

/// <summary>
/// The API Gateway Management API (<c>@connections</c>): post data to a connection, read it, or close it. The same
/// client talks to AWS and to the local host. Outcomes the caller must act on (a gone connection above all) are
/// results, not exceptions: a 410 is a normal event on the hot path.
/// </summary>
public interface IConnectionsClient
{
    /// <summary>PostToConnection: sends <paramref name="data"/> to the client as one text message (at most 128 KB).</summary>
    ValueTask<ConnectionsResult> PostAsync(ConnectionTarget target, ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>GetConnection: the connection's times and identity when the result is <see cref="ConnectionsStatus.Ok"/>.</summary>
    ValueTask<ConnectionsResult<ConnectionInfo>> GetAsync(ConnectionTarget target, CancellationToken cancellationToken);

    /// <summary>DeleteConnection: closes the connection (close code 1000; $disconnect follows).</summary>
    ValueTask<ConnectionsResult> DeleteAsync(ConnectionTarget target, CancellationToken cancellationToken);
}
