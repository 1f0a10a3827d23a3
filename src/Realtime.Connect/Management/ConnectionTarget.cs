namespace Realtime.Connect.Management;

/// <summary>
/// A connection to call: the @connections base <see cref="Endpoint"/> (<c>https://{domainName}/{stage}</c>, a custom
/// domain's base path, or the local host) and the raw, unencoded <see cref="ConnectionId"/>.
/// </summary>
public readonly record struct ConnectionTarget(Uri Endpoint, string ConnectionId);
