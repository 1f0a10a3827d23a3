using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Realtime.Router.Protocol;

/// <summary>
/// The JSON the server sends to clients, written straight to UTF-8 (no intermediate objects: these are written once
/// per message and, for fan-out, once for any number of recipients).
/// </summary>
public static class ServerMessage
{
    public static byte[] Pong(JsonElement? id) => Write(json =>
    {
        json.WriteString("type", "pong");
        WriteId(json, id);
    });

    /// <param name="queued">The message is accepted and on its way, not yet delivered (a large room's fan-out).</param>
    public static byte[] Ack(JsonElement? id, string? messageId = null, bool queued = false) => Write(json =>
    {
        json.WriteString("type", "ack");
        WriteId(json, id);
        if (messageId is not null) json.WriteString("messageId", messageId);
        if (queued) json.WriteBoolean("queued", true);
    });

    public static byte[] Error(JsonElement? id, string code, string message) => Write(json =>
    {
        json.WriteString("type", "error");
        WriteId(json, id);
        json.WriteString("code", code);
        json.WriteString("message", message);
    });

    /// <summary>A chat message, as every subscriber of <paramref name="topic"/> receives it.</summary>
    public static byte[] Message(string topic, string? from, JsonElement data, string messageId, DateTimeOffset sentAt) => Write(json =>
    {
        json.WriteString("type", "message");
        json.WriteString("topic", topic);
        if (from is null) json.WriteNull("from");
        else json.WriteString("from", from);
        json.WritePropertyName("data");
        data.WriteTo(json);
        json.WriteString("messageId", messageId);
        json.WriteNumber("sentAt", sentAt.ToUnixTimeMilliseconds());
    });

    /// <summary>A backend's event, as every subscriber of <paramref name="topic"/> receives it.</summary>
    /// <param name="messageId">The same on every delivery of this event: a client drops a repeat by it.</param>
    public static byte[] Event(string topic, string eventName, JsonElement? data, string messageId) => Write(json =>
    {
        json.WriteString("type", "event");
        json.WriteString("topic", topic);
        json.WriteString("event", eventName);
        if (data is { } value)
        {
            json.WritePropertyName("data");
            value.WriteTo(json);
        }
        json.WriteString("messageId", messageId);
    });

    /// <summary>The answer to <c>who</c>: the distinct users connected to a room, sorted.</summary>
    public static byte[] Who(JsonElement? id, string topic, IEnumerable<string> users, int anonymous) => Write(json =>
    {
        json.WriteString("type", "who");
        WriteId(json, id);
        json.WriteString("topic", topic);
        json.WriteStartArray("users");
        foreach (var user in users) json.WriteStringValue(user);
        json.WriteEndArray();
        json.WriteNumber("anonymous", anonymous);
    });

    private static void WriteId(Utf8JsonWriter json, JsonElement? id)
    {
        if (id is not { } value) return;
        json.WritePropertyName("id");
        value.WriteTo(json);
    }

    // Frames go to WebSocket clients, never into HTML, so quotes and non-ASCII text are written plainly.
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            body(json);
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
