using System.Text.Json;

namespace Realtime.Router.Protocol;

/// <summary>
/// A message a client sent: <c>{"action":"subscribe","topic":"wishlist:42","id":"2","data":{...}}</c>. The
/// <see cref="Id"/> is echoed back verbatim (string or number) so the client can match answers to requests.
/// Anything in the body that names a connection is ignored: the sender is always the event's connection.
/// </summary>
public sealed class ClientMessage : IDisposable
{
    private readonly JsonDocument? _document;

    private ClientMessage(JsonDocument? document)
    {
        _document = document;
    }

    public string? Action { get; private init; }
    public JsonElement? Id { get; private init; }
    public string? Topic { get; private init; }
    public JsonElement? Data { get; private init; }

    /// <summary>Whether the body was a JSON object at all.</summary>
    public bool IsObject { get; private init; }

    public static ClientMessage Parse(string? body)
    {
        if (string.IsNullOrEmpty(body)) return new ClientMessage(null);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return new ClientMessage(null);
        }

        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object) return new ClientMessage(document);
        return new ClientMessage(document)
        {
            IsObject = true,
            Action = StringOf(root, "action"),
            Id = root.TryGetProperty("id", out var id) && id.ValueKind is JsonValueKind.String or JsonValueKind.Number ? id : null,
            Topic = StringOf(root, "topic"),
            Data = root.TryGetProperty("data", out var data) ? data : null,
        };
    }

    public void Dispose() => _document?.Dispose();

    private static string? StringOf(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
