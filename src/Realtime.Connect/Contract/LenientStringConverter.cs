using System.Text.Json;
using System.Text.Json.Serialization;

namespace Realtime.Connect.Contract;

/// <summary>Reads a string, number or boolean as its text; for fields whose JSON type changed between API Gateway eras.</summary>
internal sealed class LenientStringConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Null => null,
        JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False => JsonScalar.RawText(ref reader),
        _ => throw new JsonException($"Expected a string, number or boolean, not {reader.TokenType}."),
    };

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

internal static class JsonScalar
{
    public static string RawText(ref Utf8JsonReader reader) =>
        System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan);
}
