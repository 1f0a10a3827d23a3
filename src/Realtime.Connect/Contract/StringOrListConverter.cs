using System.Text.Json;
using System.Text.Json.Serialization;

namespace Realtime.Connect.Contract;

/// <summary>IAM policy fields (<c>Action</c>, <c>Resource</c>) may be one string or a list of strings.</summary>
internal sealed class StringOrListConverter : JsonConverter<IList<string>>
{
    public override IList<string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String) return [reader.GetString()!];
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("Expected a string or an array of strings.");

        var items = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            items.Add(reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw new JsonException("Expected strings in the array."));
        }
        return items;
    }

    public override void Write(Utf8JsonWriter writer, IList<string> value, JsonSerializerOptions options)
    {
        if (value.Count == 1)
        {
            writer.WriteStringValue(value[0]);
            return;
        }
        writer.WriteStartArray();
        foreach (var item in value) writer.WriteStringValue(item);
        writer.WriteEndArray();
    }
}
