using System.Net.WebSockets;
using Realtime.Local.Connections;
using Realtime.Local.Gateway;

namespace Realtime.Local.WebSockets;

/// <summary>
/// A connection on the raw WebSocket endpoint. One send at a time on the socket (a WebSocket allows no concurrent
/// sends), messages over 32 KB go out as several frames of at most 32 KB, and a close from the gateway is a close
/// frame followed, if the client does not answer in time, by an abort.
/// </summary>
internal sealed class RawWebSocketConnection(ConnectionDetails details, WebSocket socket, TimeSpan closeHandshakeTimeout)
    : GatewayConnection(details), IDisposable
{
    private readonly SendGate _sendGate = new();
    private readonly CancellationTokenSource _abort = new();

    public override string Transport => "websocket";

    public WebSocket Socket => socket;

    /// <summary>Cancelled when the client has not answered the gateway's close in time.</summary>
    public CancellationToken Aborted => _abort.Token;

    public override async ValueTask SendTextAsync(ReadOnlyMemory<byte> utf8, CancellationToken cancellationToken)
    {
        await _sendGate.EnterAsync().ConfigureAwait(false);
        try
        {
            if (utf8.Length <= GatewayOptions.MaxFrameBytes)
            {
                await socket.SendAsync(utf8, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
                return;
            }
            for (var offset = 0; offset < utf8.Length; offset += GatewayOptions.MaxFrameBytes)
            {
                var length = Math.Min(GatewayOptions.MaxFrameBytes, utf8.Length - offset);
                var last = offset + length == utf8.Length;
                await socket.SendAsync(utf8.Slice(offset, length), WebSocketMessageType.Text, last, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _sendGate.Exit();
        }
    }

    protected internal override void BeginClose(CloseStatus status) => _ = CloseOutputAsync(status);

    private async Task CloseOutputAsync(CloseStatus status)
    {
        try
        {
            await SendCloseAsync(status).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException or IOException)
        {
            // Already gone; the receive loop sees it.
        }
        finally
        {
            try
            {
                _abort.CancelAfter(closeHandshakeTimeout);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    /// <summary>Sends a close frame (or answers the client's), unless one was sent already.</summary>
    public async Task SendCloseAsync(CloseStatus status)
    {
        await _sendGate.EnterAsync().ConfigureAwait(false);
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync((WebSocketCloseStatus)status.Code, status.Reason, CancellationToken.None).ConfigureAwait(false);
            }
        }
        finally
        {
            _sendGate.Exit();
        }
    }

    public void Dispose()
    {
        _abort.Dispose();
        socket.Dispose();
        _sendGate.Dispose();
    }
}
