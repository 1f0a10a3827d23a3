namespace Realtime.Router.FanOut;

/// <summary>How fan-out reads its audience and how many posts it keeps in flight.</summary>
public sealed record FanOutOptions
{
    /// <summary>Posts in flight at once. @connections answers in milliseconds, so a few dozen keep a Lambda busy without tripping its throttle.</summary>
    public int MaxConcurrency { get; init; } = 32;

    /// <summary>Connections read from the registry per page; memory holds at most two pages whatever the audience.</summary>
    public int PageSize { get; init; } = 100;

    /// <summary>Replaces each connection's <c>https://{domainName}/{stage}</c> (<c>REALTIME_CONNECTIONS_ENDPOINT</c>).</summary>
    public Uri? ConnectionsEndpoint { get; init; }
}
