using System.Buffers;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Realtime.Local.Connections;
using Realtime.Local.Gateway;

namespace Realtime.Local.WebSockets;

/// <summary>
/// The raw WebSocket endpoint at <c>/{stage}</c>. The handshake waits for the authorizer and $connect; a rejection is
/// that HTTP status, an acceptance a 101 carrying $connect's headers. Frames are read one at a time into a 32 KB + 1
/// buffer, so a frame over 32 KB or a message over 128 KB closes with 1009, a binary frame with 1003. The next message
/// is read only once the connection has room for another invocation.
/// </summary>
internal static class WebSocketEndpoint
{
    private const int FrameLimit = GatewayOptions.MaxFrameBytes;
    private const int MessageLimit = GatewayOptions.MaxMessageBytes;
    private static readonly TimeSpan s_closeHandshakeTimeout = TimeSpan.FromSeconds(5);

    public static async Task HandleAsync(HttpContext context, WebSocketGateway gateway)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            context.Response.Headers.Upgrade = "websocket";
            await context.Response.WriteAsync("This is a WebSocket endpoint: connect with a WebSocket client.\n").ConfigureAwait(false);
            return;
        }

        var request = Handshake(context);
        var result = await gateway.HandshakeAsync(request, context.RequestAborted).ConfigureAwait(false);
        if (!result.Accepted)
        {
            context.Response.StatusCode = result.StatusCode;
            if (result.Body is { } body)
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(body).ConfigureAwait(false);
            }
            return;
        }

        foreach (var (name, value) in result.ResponseHeaders) context.Response.Headers.Append(name, value);
        WebSocket socket;
        try
        {
            socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
            {
                SubProtocol = result.Subprotocol,
                KeepAliveInterval = TimeSpan.Zero,
                DangerousEnableCompression = false,
            }).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or InvalidOperationException)
        {
            return; // the client left during $connect: the connection never existed
        }

        using var connection = new RawWebSocketConnection(result.Connection!, socket, s_closeHandshakeTimeout);
        gateway.Open(connection);
        var status = await ReceiveAsync(connection, gateway).ConfigureAwait(false);
        gateway.Ended(connection, status);
    }

    private static HandshakeRequest Handshake(HttpContext context)
    {
        var headers = new List<KeyValuePair<string, StringValues>>(context.Request.Headers.Count);
        foreach (var header in context.Request.Headers) headers.Add(header);
        var query = new List<KeyValuePair<string, StringValues>>();
        if (context.Request.QueryString.HasValue)
        {
            foreach (var parameter in context.Request.Query) query.Add(parameter);
        }
        var connectionFeature = context.Connection;
        return new HandshakeRequest(
            context.Request.Host.Value ?? "localhost",
            connectionFeature.RemoteIpAddress?.ToString() ?? "127.0.0.1",
            headers,
            query,
            context.WebSockets.WebSocketRequestedProtocols.ToList(),
            connectionFeature.LocalPort,
            context.Request.Scheme);
    }

    /// <summary>Reads messages until the connection ends; returns the status the client closed with.</summary>
    private static async Task<CloseStatus> ReceiveAsync(RawWebSocketConnection connection, WebSocketGateway gateway)
    {
        var socket = connection.Socket;
        var token = connection.Aborted;
        byte[]? buffer = null;
        try
        {
            while (true)
            {
                // Read on only while the connection has room for another invocation: beyond that, the client is held
                // back by its own socket rather than starting unbounded work.
                await gateway.ReadyForMessageAsync(connection, token).ConfigureAwait(false);
                // Wait for the next frame without holding a buffer, so idle connections cost no memory.
                var next = await socket.ReceiveAsync(Memory<byte>.Empty, token).ConfigureAwait(false);
                if (next.MessageType == WebSocketMessageType.Close) return await ClientClosedAsync(connection).ConfigureAwait(false);
                if (connection.IsClosing)
                {
                    if (await DiscardAsync(socket, token).ConfigureAwait(false)) return await ClientClosedAsync(connection).ConfigureAwait(false);
                    continue;
                }
                if (next.MessageType == WebSocketMessageType.Binary)
                {
                    gateway.Close(connection, CloseStatus.Unsupported, "binary frame");
                    continue;
                }
                if (next.EndOfMessage)
                {
                    gateway.Receive(connection, ReadOnlySpan<byte>.Empty); // an empty text message, consumed by the wait
                    continue;
                }

                buffer = ArrayPool<byte>.Shared.Rent(FrameLimit + 1);
                var length = 0;
                var tooBig = false;
                while (true)
                {
                    if (buffer.Length - length < FrameLimit + 1)
                    {
                        var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, MessageLimit + FrameLimit + 1));
                        buffer.AsSpan(0, length).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }
                    var frame = await socket.ReceiveAsync(buffer.AsMemory(length, FrameLimit + 1), token).ConfigureAwait(false);
                    if (frame.MessageType == WebSocketMessageType.Close) return await ClientClosedAsync(connection).ConfigureAwait(false);
                    length += frame.Count;
                    if (frame.Count > FrameLimit || length > MessageLimit)
                    {
                        tooBig = true;
                        break;
                    }
                    if (frame.EndOfMessage) break;
                }

                if (tooBig) gateway.Close(connection, CloseStatus.TooBig, length > MessageLimit ? "message over 128 KB" : "frame over 32 KB");
                else gateway.Receive(connection, buffer.AsSpan(0, length));
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = null;
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            return CloseStatus.Abnormal;
        }
        finally
        {
            if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The client sent a close frame: answer it (if the gateway has not closed already) and report its code.</summary>
    private static async Task<CloseStatus> ClientClosedAsync(RawWebSocketConnection connection)
    {
        var socket = connection.Socket;
        var status = new CloseStatus((int?)socket.CloseStatus ?? 1005, socket.CloseStatusDescription ?? "");
        try
        {
            await connection.SendCloseAsync(status.Code == 1005 ? new CloseStatus(1000, "") : status).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
        }
        return status;
    }

    /// <summary>
    /// After the gateway closed, what the client still sends is read and dropped until its close arrives. Returns true
    /// when that close arrived.
    /// </summary>
    private static async Task<bool> DiscardAsync(WebSocket socket, CancellationToken token)
    {
        var scratch = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(scratch.AsMemory(), token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close) return true;
                if (result.EndOfMessage) return false;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }
}
