using System.Text;
using System.Text.Json;

namespace Realtime.Local.Routing;

/// <summary>
/// An API's route selection expression, compiled once: literal text (with <c>\$</c> for a literal dollar) and
/// variables, <c>$request.body.path</c> or <c>${request.body.path}</c>. Evaluated against a message as API Gateway
/// documents it: a path that is not found gives <c>""</c>, a found value is stringified (a string as is, a number or
/// boolean as its JSON text, an array as <c>[item1, item2]</c>), and a message that is not a JSON object cannot be
/// evaluated at all (it goes to <c>$default</c>).
/// </summary>
public sealed class RouteSelectionExpression
{
    private readonly IReadOnlyList<Part> _parts;
    private readonly BodyPath? _single;

    private RouteSelectionExpression(string text, IReadOnlyList<Part> parts, IReadOnlyList<string> warnings)
    {
        Text = text;
        _parts = parts;
        Warnings = warnings;
        if (parts is [{ Path: { } path }] && path.Segments.Count > 0 && path.Segments.All(s => s.IsProperty)) _single = path;
    }

    public string Text { get; }

    /// <summary>Variables the emulator does not evaluate (they give <c>""</c>), for the start-up output.</summary>
    public IReadOnlyList<string> Warnings { get; }

    public static RouteSelectionExpression Parse(string text)
    {
        var parts = new List<Part>();
        var warnings = new List<string>();
        var literal = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length && text[i + 1] == '$')
            {
                literal.Append('$');
                i += 2;
                continue;
            }
            if (c != '$' || i + 1 >= text.Length)
            {
                literal.Append(c);
                i++;
                continue;
            }

            string variable;
            if (text[i + 1] == '{')
            {
                var end = text.IndexOf('}', i + 2);
                if (end < 0) throw new FormatException($"Route selection expression '{text}': unterminated '${{'.");
                variable = text[(i + 2)..end];
                i = end + 1;
            }
            else
            {
                var start = i + 1;
                var end = start;
                while (end < text.Length && IsUnwrappedChar(text[end])) end++;
                if (end == start)
                {
                    literal.Append('$');
                    i++;
                    continue;
                }
                variable = text[start..end];
                i = end;
            }

            if (literal.Length > 0)
            {
                parts.Add(new Part(literal.ToString(), null));
                literal.Clear();
            }
            parts.Add(Variable(variable, text, warnings));
        }
        if (literal.Length > 0) parts.Add(new Part(literal.ToString(), null));
        return new RouteSelectionExpression(text, parts, warnings);
    }

    private static bool IsUnwrappedChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '[' or ']' or '\'';

    private static Part Variable(string variable, string text, List<string> warnings)
    {
        const string body = "request.body";
        if (variable.StartsWith(body, StringComparison.Ordinal))
        {
            var path = BodyPath.TryParse(variable[body.Length..])
                ?? throw new FormatException($"Route selection expression '{text}': '{variable}' is not a supported JSON path (use .name, ['name'] or [index]).");
            return new Part(null, path);
        }
        warnings.Add($"Route selection expression '{text}': ${variable} is not evaluated locally (WebSocket APIs route on $request.body); it gives \"\".");
        return new Part("", null);
    }

    /// <summary>The evaluated key, or null when the message is not a JSON object and the expression cannot be evaluated.</summary>
    public string? Evaluate(ReadOnlySpan<byte> utf8Message)
    {
        if (_single is not null && TryEvaluateSingle(utf8Message, _single, out var key)) return key;
        return EvaluateWithDocument(utf8Message);
    }

    /// <summary>
    /// The common case, one path of property names, read in one forward pass without building a document (the whole
    /// message is still validated). Returns false when the value is an array or an object, which the document path
    /// stringifies.
    /// </summary>
    private static bool TryEvaluateSingle(ReadOnlySpan<byte> utf8, BodyPath path, out string? key)
    {
        key = null;
        var segments = path.Segments;
        var reader = new Utf8JsonReader(utf8);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return true;

            string? found = null;
            var matched = 0;
            var done = false;
            while (reader.Read())
            {
                if (done) continue;
                if (reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == matched)
                {
                    done = true; // the object on the path ended without the next segment
                    continue;
                }
                if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != matched + 1) continue;
                if (!reader.ValueTextEquals(segments[matched].Name))
                {
                    reader.Skip();
                    continue;
                }

                reader.Read();
                if (matched == segments.Count - 1)
                {
                    switch (reader.TokenType)
                    {
                        case JsonTokenType.String:
                            found = reader.GetString();
                            break;
                        case JsonTokenType.Number:
                            found = Encoding.UTF8.GetString(reader.ValueSpan);
                            break;
                        case JsonTokenType.True:
                            found = "true";
                            break;
                        case JsonTokenType.False:
                            found = "false";
                            break;
                        case JsonTokenType.Null:
                            break;
                        default:
                            return false;
                    }
                    done = true;
                }
                else if (reader.TokenType == JsonTokenType.StartObject)
                {
                    matched++;
                }
                else
                {
                    done = true; // the path runs into a scalar or an array: not found
                    if (reader.TokenType == JsonTokenType.StartArray) reader.Skip();
                }
            }
            key = found ?? "";
            return true;
        }
        catch (JsonException)
        {
            key = null; // not JSON: cannot be evaluated
            return true;
        }
    }

    private string? EvaluateWithDocument(ReadOnlySpan<byte> utf8Message)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(utf8Message);
            if (!JsonDocument.TryParseValue(ref reader, out var parsed) || reader.BytesConsumed != utf8Message.Length && !OnlyWhitespace(utf8Message[(int)reader.BytesConsumed..]))
            {
                parsed?.Dispose();
                return null;
            }
            document = parsed;
        }
        catch (JsonException)
        {
            return null;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object) return null;
            var result = new StringBuilder();
            foreach (var part in _parts)
            {
                if (part.Literal is not null) result.Append(part.Literal);
                else if (Find(document.RootElement, part.Path!) is { } value) JavaText.Append(result, value);
            }
            return result.ToString();
        }
    }

    private static bool OnlyWhitespace(ReadOnlySpan<byte> rest)
    {
        foreach (var b in rest)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')) return false;
        }
        return true;
    }

    private static JsonElement? Find(JsonElement root, BodyPath path)
    {
        var current = root;
        foreach (var segment in path.Segments)
        {
            if (segment.IsProperty)
            {
                if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(segment.Name!, out current)) return null;
            }
            else
            {
                if (current.ValueKind != JsonValueKind.Array || segment.Index >= current.GetArrayLength()) return null;
                current = current[segment.Index];
            }
        }
        return current;
    }

    private readonly record struct Part(string? Literal, BodyPath? Path);
}
