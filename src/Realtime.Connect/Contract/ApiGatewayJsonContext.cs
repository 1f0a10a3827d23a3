using System.Text.Json;
using System.Text.Json.Serialization;

namespace Realtime.Connect.Contract;

/// <summary>
/// Source-generated (Native AOT safe) serialization of the API Gateway contract. Property names are camelCase as
/// API Gateway writes them; null members are omitted, so a key that an event lacks stays absent when written.
/// The authorizer result's policy document keeps IAM's PascalCase names through [JsonPropertyName].
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = false)]
[JsonSerializable(typeof(WebSocketProxyEvent))]
[JsonSerializable(typeof(ProxyResponse))]
[JsonSerializable(typeof(AuthorizerEvent))]
[JsonSerializable(typeof(AuthorizerResult))]
public sealed partial class ApiGatewayJsonContext : JsonSerializerContext;
