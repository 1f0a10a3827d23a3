using System.Text.Json;
using System.Text.Json.Serialization;

namespace Realtime.Connect.Contract;

/// <summary>
/// What a REQUEST authorizer returns: a principal, an IAM policy over <c>execute-api:Invoke</c> on the $connect
/// method ARN, and an optional flat context (string, number or boolean values; anything else is a configuration
/// error that fails the handshake with 500).
/// </summary>
public sealed record AuthorizerResult
{
    public string? PrincipalId { get; init; }
    public PolicyDocument? PolicyDocument { get; init; }
    public IDictionary<string, JsonElement>? Context { get; init; }
    public string? UsageIdentifierKey { get; init; }
}

public sealed record PolicyDocument
{
    [JsonPropertyName("Version")] public string Version { get; init; } = "2012-10-17";
    [JsonPropertyName("Statement")] public IList<PolicyStatement> Statement { get; init; } = [];
}

public sealed record PolicyStatement
{
    /// <summary>A single string or a list in IAM JSON; read as a list either way.</summary>
    [JsonPropertyName("Action"), JsonConverter(typeof(StringOrListConverter))]
    public IList<string> Action { get; init; } = [];

    [JsonPropertyName("Effect")] public string Effect { get; init; } = "Deny";

    [JsonPropertyName("Resource"), JsonConverter(typeof(StringOrListConverter))]
    public IList<string> Resource { get; init; } = [];
}
