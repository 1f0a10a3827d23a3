using System.Text.Json.Serialization;

namespace Realtime.Local.Identity.Internal;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(DevelopmentTokenRequest))]
[JsonSerializable(typeof(DevelopmentTokenResponse))]
[JsonSerializable(typeof(DevelopmentTokenError))]
[JsonSerializable(typeof(JsonWebKeySetDocument))]
internal sealed partial class IdentityJsonContext : JsonSerializerContext;

/// <summary>The published key set: RFC 7517 member names.</summary>
internal sealed record JsonWebKeySetDocument(IReadOnlyList<PublicJsonWebKey> Keys);

internal sealed record PublicJsonWebKey(
    [property: JsonPropertyName("kty")] string KeyType,
    [property: JsonPropertyName("kid")] string KeyId,
    [property: JsonPropertyName("use")] string Use,
    [property: JsonPropertyName("alg")] string Algorithm,
    [property: JsonPropertyName("n")] string Modulus,
    [property: JsonPropertyName("e")] string Exponent);
