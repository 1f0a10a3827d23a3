using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Primitives;
using Realtime.Local.Connections;
using Realtime.Local.Gateway;

namespace Realtime.Local.SignalR;

/// <summary>
/// The SignalR face of the gateway, beside the raw WebSocket endpoint and sharing its connections, routes and
/// @connections. Connecting runs the authorizer and $connect with the query string and headers of the connect
/// request; a rejection ends the connection with a <see cref="HubException"/> whose message is
/// <c>$connect rejected the connection with status {status}</c>. <see cref="Send"/> is a message through route
/// selection; whatever is posted to the connection arrives as <c>message(string)</c>; leaving runs $disconnect.
/// </summary>
public sealed class GatewayHub(WebSocketGateway gateway, IHubContext<GatewayHub> hub) : Hub
{
    private const string ConnectionKey = "Realtime.Local.Connection";

    /// <summary>The text of the error a rejected client sees, for a status.</summary>
    public static string RejectionMessage(int status) => $"$connect rejected the connection with status {status}";

    public override async Task OnConnectedAsync()
    {
        var http = Context.GetHttpContext() ?? throw new HubException(RejectionMessage(400));
        var result = await gateway.HandshakeAsync(Handshake(http), Context.ConnectionAborted).ConfigureAwait(false);
        if (!result.Accepted) throw new HubException(RejectionMessage(result.StatusCode));

        var connection = new SignalRConnection(result.Connection!, Context, hub.Clients.Client(Context.ConnectionId));
        Context.Items[ConnectionKey] = connection;
        gateway.Open(connection);
    }

    /// <summary>
    /// A message from the client, routed as a text frame would be. Returns once its function is started, not finished
    /// (functions run concurrently); while the connection has as many running as the gateway allows, it waits, and since
    /// SignalR runs one hub call per client at a time, the client's later messages wait behind it.
    /// </summary>
    public async Task Send(string body)
    {
        if (Context.Items.TryGetValue(ConnectionKey, out var item) is false || item is not SignalRConnection connection || connection.IsClosing) return;
        var bytes = Encoding.UTF8.GetBytes(body);
        if (bytes.Length > GatewayOptions.MaxMessageBytes)
        {
            gateway.Close(connection, CloseStatus.TooBig, "message over 128 KB");
            return;
        }
        try
        {
            await gateway.ReadyForMessageAsync(connection, Context.ConnectionAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return; // the client left while waiting
        }
        if (!connection.IsClosing) gateway.Receive(connection, bytes);
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        if (Context.Items.TryGetValue(ConnectionKey, out var item) && item is SignalRConnection connection)
        {
            gateway.Ended(connection, exception is null ? new CloseStatus(1000, "") : CloseStatus.Abnormal);
        }
        return Task.CompletedTask;
    }

    private static HandshakeRequest Handshake(HttpContext http)
    {
        var headers = new List<KeyValuePair<string, StringValues>>(http.Request.Headers.Count);
        foreach (var header in http.Request.Headers) headers.Add(header);
        var query = new List<KeyValuePair<string, StringValues>>();
        foreach (var parameter in http.Request.Query)
        {
            if (parameter.Key != "id") query.Add(parameter); // SignalR's own connection token
        }
        return new HandshakeRequest(
            http.Request.Host.Value ?? "localhost",
            http.Connection.RemoteIpAddress?.ToString() ?? "127.0.0.1",
            headers,
            query,
            [],
            http.Connection.LocalPort,
            http.Request.Scheme);
    }
}
