using System.Text;
using System.Text.Json;

namespace Realtime.Local.Routing;

/// <summary>
/// Stringifies a selected JSON value the way API Gateway's documentation shows (an array of two elements becomes
/// <c>[item1, item2]</c>): strings unquoted, numbers and booleans as their text, objects as <c>{key=value, ...}</c>.
/// A null at the top is treated as not found (<c>""</c>).
/// </summary>
internal static class JavaText
{
    public static void Append(StringBuilder text, JsonElement value, bool nested = false)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                text.Append(value.GetString());
                break;
            case JsonValueKind.Number:
                text.Append(value.GetRawText());
                break;
            case JsonValueKind.True:
                text.Append("true");
                break;
            case JsonValueKind.False:
                text.Append("false");
                break;
            case JsonValueKind.Null:
                if (nested) text.Append("null");
                break;
            case JsonValueKind.Array:
                text.Append('[');
                var first = true;
                foreach (var item in value.EnumerateArray())
                {
                    if (!first) text.Append(", ");
                    Append(text, item, nested: true);
                    first = false;
                }
                text.Append(']');
                break;
            case JsonValueKind.Object:
                text.Append('{');
                var firstProperty = true;
                foreach (var property in value.EnumerateObject())
                {
                    if (!firstProperty) text.Append(", ");
                    text.Append(property.Name).Append('=');
                    Append(text, property.Value, nested: true);
                    firstProperty = false;
                }
                text.Append('}');
                break;
        }
    }
}
