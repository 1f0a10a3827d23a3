using System.Text.Json;

namespace Realtime.Router.Publishing;

/// <summary>What a backend publishes: <c>{"topic":"wishlist:42","event":"item_added","data":{...}}</c>.</summary>
public sealed record PublishRequest
{
    public string? Topic { get; init; }
    public string? Event { get; init; }
    public JsonElement? Data { get; init; }
}
