using System.Net.WebSockets;
using System.Text;

namespace Realtime.Local.Tests.Infrastructure;

/// <summary>Client-side reading and writing of whole text messages, with every wait bounded.</summary>
public static class WebSocketExtensions
{
    public static Task SendTextAsync(this WebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).DefaultTimeout();

    /// <summary>Reads one whole message; fails if the server closes instead.</summary>
    public static async Task<string> ReceiveTextAsync(this WebSocket socket)
    {
        var (type, text, frames) = await ReceiveMessageAsync(socket).DefaultTimeout();
        Assert.True(type == WebSocketMessageType.Text, $"Expected a text message, got {type} ({socket.CloseStatus} {socket.CloseStatusDescription}).");
        _ = frames;
        return text;
    }

    /// <summary>Reads one whole message and how many frames carried it.</summary>
    public static async Task<(WebSocketMessageType Type, string Text, int Frames)> ReceiveMessageAsync(this WebSocket socket)
    {
        var buffer = new byte[256 * 1024];
        var length = 0;
        var frames = 0;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None).AsTask().DefaultTimeout();
            if (result.MessageType == WebSocketMessageType.Close) return (WebSocketMessageType.Close, "", frames);
            length += result.Count;
            frames++;
            if (result.EndOfMessage) return (result.MessageType, Encoding.UTF8.GetString(buffer, 0, length), frames);
        }
    }

    /// <summary>
    /// Reads until the server's close frame, answers it as a browser would, and returns the server's code and reason.
    /// </summary>
    public static async Task<(int Code, string Reason)> ReceiveCloseAsync(this WebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None).AsTask().DefaultTimeout();
            if (result.MessageType != WebSocketMessageType.Close) continue;
            var status = ((int)socket.CloseStatus!, socket.CloseStatusDescription ?? "");
            if (socket.State == WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(socket.CloseStatus!.Value, socket.CloseStatusDescription, CancellationToken.None).DefaultTimeout();
            }
            return status;
        }
    }

    public static Task CloseAsync(this WebSocket socket, int code, string reason) =>
        socket.CloseAsync((WebSocketCloseStatus)code, reason, CancellationToken.None).DefaultTimeout();
}
