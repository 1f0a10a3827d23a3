using System.Text.Json.Serialization;

namespace Realtime.Connect.Management.Internal;

/// <summary>GetConnection's response body.</summary>
internal sealed record ConnectionDocument(DateTimeOffset ConnectedAt, IdentityDocument? Identity, DateTimeOffset LastActiveAt);

internal sealed record IdentityDocument(string? SourceIp, string? UserAgent);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ConnectionDocument))]
internal sealed partial class ManagementJsonContext : JsonSerializerContext;
