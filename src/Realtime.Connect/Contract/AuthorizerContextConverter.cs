using System.Text.Json;
using System.Text.Json.Serialization;

namespace Realtime.Connect.Contract;

/// <summary>
/// Reads <c>requestContext.authorizer</c> as an object of scalars, or as the <c>""</c> that 2019-era events carried
/// (read as null). Scalars other than strings are kept as their JSON text, the way API Gateway stringifies them.
/// </summary>
internal sealed class AuthorizerContextConverter : JsonConverter<AuthorizerContext>
{
    private const string PrincipalId = "principalId";
    private const string IntegrationLatency = "integrationLatency";

    public override AuthorizerContext? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                return null; // the legacy "" form
            case JsonTokenType.StartObject:
                break;
            default:
                throw new JsonException($"requestContext.authorizer must be an object, not {reader.TokenType}.");
        }

        string? principalId = null;
        long? integrationLatency = null;
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString()!;
            reader.Read();
            if (name == IntegrationLatency && reader.TokenType == JsonTokenType.Number)
            {
                integrationLatency = reader.GetInt64();
                continue;
            }

            var value = ReadScalar(ref reader, name);
            if (name == PrincipalId) principalId = value;
            else values[name] = value;
        }

        return new AuthorizerContext { PrincipalId = principalId, IntegrationLatency = integrationLatency, Values = values };
    }

    public override void Write(Utf8JsonWriter writer, AuthorizerContext value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        if (value.PrincipalId is not null) writer.WriteString(PrincipalId, value.PrincipalId);
        foreach (var (key, item) in value.Values)
        {
            if (item is null) writer.WriteNull(key);
            else writer.WriteString(key, item);
        }
        if (value.IntegrationLatency is { } latency) writer.WriteNumber(IntegrationLatency, latency);
        writer.WriteEndObject();
    }

    private static string? ReadScalar(ref Utf8JsonReader reader, string name) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Null => null,
        JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False => JsonScalar.RawText(ref reader),
        _ => throw new JsonException($"requestContext.authorizer.{name} must be a string, number, boolean or null."),
    };
}
