using Microsoft.Extensions.Logging;
using Realtime.Connect.Management;
using ConnectionInfo = Realtime.Connect.Management.ConnectionInfo;
using Realtime.Local.Connections;
using Realtime.Local.Events;
using Realtime.Local.Gateway;

namespace Realtime.Local.Management;

/// <summary>
/// The @connections operations on the gateway's connection table, shared by the HTTP endpoint and the in-process
/// client so both behave identically: POST sends one text message (413 over 128 KB; 410 when the connection is unknown,
/// closing, or still in $connect), GET reads its times and identity, DELETE closes it with 1000.
/// </summary>
public sealed class ConnectionsService(WebSocketGateway gateway, RequestClock clock, ILoggerFactory loggerFactory)
{
    public const int MaxPostBytes = GatewayOptions.MaxMessageBytes;

    private readonly ILogger _logger = loggerFactory.CreateLogger("Realtime.Local.Gateway");
    private readonly ConnectionTable _connections = gateway.Connections;

    /// <summary>The path before <c>/@connections</c>: the stage, or a custom domain's base path.</summary>
    public string BasePath => gateway.Options.ManagementBasePath;

    public async ValueTask<ConnectionsResult> PostAsync(string connectionId, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (data.Length > MaxPostBytes) return Log("POST", connectionId, PayloadTooLarge);
        if (!_connections.TryGet(connectionId, out var connection) || connection.IsClosing) return Log("POST", connectionId, Gone);
        try
        {
            await connection.SendTextAsync(data, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return Log("POST", connectionId, Gone); // the socket went away under the send
        }
        connection.Touch(clock.NowMilliseconds());
        return Log("POST", connectionId, Ok(200));
    }

    public ConnectionsResult<ConnectionInfo> Get(string connectionId)
    {
        if (!_connections.TryGet(connectionId, out var connection) || connection.IsClosing)
        {
            Log("GET", connectionId, Gone);
            return new ConnectionsResult<ConnectionInfo>(Gone, null);
        }
        var details = connection.Details;
        var info = new ConnectionInfo(
            DateTimeOffset.FromUnixTimeMilliseconds(details.ConnectedAt),
            DateTimeOffset.FromUnixTimeMilliseconds(connection.LastActiveAt),
            details.Identity.SourceIp,
            details.Identity.UserAgent);
        return new ConnectionsResult<ConnectionInfo>(Log("GET", connectionId, Ok(200)), info);
    }

    public ConnectionsResult Delete(string connectionId)
    {
        if (!_connections.TryGet(connectionId, out var connection) || !gateway.Close(connection, CloseStatus.Deleted, "DELETE")) return Log("DELETE", connectionId, Gone);
        return Log("DELETE", connectionId, Ok(204));
    }

    private ConnectionsResult Log(string method, string connectionId, ConnectionsResult result)
    {
        GatewayLog.ConnectionsCall(_logger, method, connectionId, result.HttpStatusCode);
        return result;
    }

    private static ConnectionsResult Ok(int status) => new(ConnectionsStatus.Ok, status, 1);
    private static readonly ConnectionsResult Gone = new(ConnectionsStatus.Gone, 410, 1, "GoneException");
    private static readonly ConnectionsResult PayloadTooLarge = new(ConnectionsStatus.PayloadTooLarge, 413, 1, "PayloadTooLargeException");
    internal static readonly ConnectionsResult Forbidden = new(ConnectionsStatus.Forbidden, 403, 1, "ForbiddenException");
}
