namespace Realtime.Connect.Contract;

/// <summary>
/// <c>requestContext.authorizer</c>: the principal and the flat context a REQUEST authorizer returned at $connect.
/// API Gateway stringifies context values (<c>123</c> becomes <c>"123"</c>), so they are strings here; a null
/// value survives as null. <c>integrationLatency</c> appears on the $connect event only.
/// </summary>
public sealed record AuthorizerContext
{
    public string? PrincipalId { get; init; }
    public long? IntegrationLatency { get; init; }
    public IReadOnlyDictionary<string, string?> Values { get; init; } = new Dictionary<string, string?>();

    public string? this[string key] => Values.TryGetValue(key, out var value) ? value : null;
}
