using System.Net.WebSockets;
using System.Text.Json;
using Realtime.Local.Tests.Infrastructure;

namespace Realtime.Local.Tests.EndToEnd;

/// <summary>A protocol client over a raw WebSocket: sends requests with ids and reads typed answers.</summary>
internal sealed class Client(ClientWebSocket socket, string user) : IAsyncDisposable
{
    private int _nextId;

    public string User => user;
    public ClientWebSocket Socket => socket;

    public async Task<string> RequestAsync(string action, string? topic = null, object? data = null)
    {
        var id = $"{user}-{Interlocked.Increment(ref _nextId)}";
        var request = new Dictionary<string, object?> { ["action"] = action, ["id"] = id };
        if (topic is not null) request["topic"] = topic;
        if (data is not null) request["data"] = data;
        await socket.SendTextAsync(JsonSerializer.Serialize(request));
        return id;
    }

    public async Task<JsonElement> ReceiveAsync() => JsonDocument.Parse(await socket.ReceiveTextAsync()).RootElement;

    /// <summary>Reads messages until the answer to <paramref name="id"/>; the others are returned in order.</summary>
    public async Task<(JsonElement Answer, List<JsonElement> Before)> AnswerToAsync(string id)
    {
        var before = new List<JsonElement>();
        while (true)
        {
            var message = await ReceiveAsync();
            if (message.TryGetProperty("id", out var answered) && answered.GetString() == id && message.GetProperty("type").GetString() != "message")
            {
                return (message, before);
            }
            before.Add(message);
        }
    }

    /// <summary>Subscribes and waits for the ack.</summary>
    public async Task SubscribeAsync(string topic)
    {
        var (answer, _) = await AnswerToAsync(await RequestAsync("subscribe", topic));
        Assert.Equal("ack", answer.GetProperty("type").GetString());
    }

    /// <summary>
    /// Proves nothing else is queued for this client: a ping's pong must be the very next message. Answers come
    /// back through @connections in the order the host posts them, and the pong is posted after whatever came before.
    /// </summary>
    public async Task AssertNothingPendingAsync()
    {
        var id = await RequestAsync("ping");
        var next = await ReceiveAsync();
        Assert.True(next.GetProperty("type").GetString() == "pong" && next.GetProperty("id").GetString() == id, $"expected only the pong, got {next}");
    }

    public async ValueTask DisposeAsync()
    {
        if (socket.State == WebSocketState.Open) await socket.CloseAsync(1000, "bye");
        socket.Dispose();
    }
}
