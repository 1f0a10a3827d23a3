namespace Realtime.Connect.Management;

/// <summary>GetConnection's answer: <c>{"connectedAt": iso8601, "identity": {"sourceIp", "userAgent"}, "lastActiveAt": iso8601}</c>.</summary>
public sealed record ConnectionInfo(DateTimeOffset ConnectedAt, DateTimeOffset LastActiveAt, string? SourceIp, string? UserAgent);
