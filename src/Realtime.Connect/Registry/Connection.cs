namespace Realtime.Connect.Registry;

/// <summary>
/// A live WebSocket connection as the registry records it. <see cref="DomainName"/> and <see cref="Stage"/> come from
/// the $connect event and give the @connections endpoint (<c>https://{domainName}/{stage}</c>) to reach it.
/// </summary>
public sealed record Connection(
    string ConnectionId,
    string? UserId,
    DateTimeOffset ConnectedAt,
    string DomainName,
    string Stage,
    string? SourceIp);
