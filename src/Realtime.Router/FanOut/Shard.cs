using System.Text;
using System.Text.Json;
using Realtime.Connect.Registry;

namespace Realtime.Router.FanOut;

/// <summary>
/// A range of one message's audience handed to the queue: closed (up to a connection id) for an invocation to post,
/// or open (to the end) for an invocation to split. On the wire, one SQS message body:
/// <c>{"messageId":"…","topic":"…","after":"…","until":"…","payload":{the frame every subscriber gets}}</c>.
/// The payload travels with the shard, so an invocation needs no read but its range of the index. Only the functions
/// write to the shard queue: a shard carries a finished frame, which a backend must never be able to forge.
/// </summary>
public sealed record Shard(DeliveryRange Range, string Topic, ReadOnlyMemory<byte> Payload)
{
    public static Shard Whole(Delivery delivery) => new(new DeliveryRange(delivery.MessageId, null, null), delivery.Topic, delivery.Payload);

    public Shard With(DeliveryRange range) => this with { Range = range };

    public string ToBody()
    {
        using var buffer = new MemoryStream(Payload.Length + 256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("messageId", Range.MessageId);
            json.WriteString("topic", Topic);
            WriteOptional(json, "after", Range.After);
            WriteOptional(json, "until", Range.Until);
            json.WritePropertyName("payload");
            json.WriteRawValue(Payload.Span, skipInputValidation: true);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Reads a shard queue message; the error says what is wrong with it.</summary>
    public static bool TryRead(string? body, out Shard shard, out string error)
    {
        shard = null!;
        if (string.IsNullOrEmpty(body))
        {
            error = "The body is empty; expected a shard.";
            return false;
        }
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || Text(root, "messageId") is not { Length: > 0 } messageId
                || Text(root, "topic") is not { Length: > 0 } topic
                || !root.TryGetProperty("payload", out var payload) || payload.ValueKind != JsonValueKind.Object)
            {
                error = "A shard needs \"messageId\", \"topic\" and an object \"payload\".";
                return false;
            }
            shard = new Shard(new DeliveryRange(messageId, Text(root, "after"), Text(root, "until")), topic, Encoding.UTF8.GetBytes(payload.GetRawText()));
            error = "";
            return true;
        }
        catch (JsonException e)
        {
            error = $"The body is not JSON: {e.Message}";
            return false;
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null) json.WriteNull(name);
        else json.WriteString(name, value);
    }
}
