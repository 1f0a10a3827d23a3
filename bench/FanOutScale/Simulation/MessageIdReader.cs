using System.Buffers;
using System.Text.Json;

namespace Realtime.Bench.FanOutScale.Simulation;

/// <summary>
/// Finds the top-level <c>"messageId"</c> string of a JSON body without deserialising the rest, so telling runs apart
/// costs the server one scan of a few hundred bytes.
/// </summary>
internal static class MessageIdReader
{
    /// <summary>The body's top-level <c>messageId</c> string, or "" when it has none or is not a JSON object.</summary>
    public static string Read(ReadOnlySequence<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return "";
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isMessageId = reader.ValueTextEquals("messageId"u8);
                if (!reader.Read()) return "";
                if (isMessageId && reader.TokenType == JsonTokenType.String) return reader.GetString() ?? "";
                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }
        return "";
    }
}
