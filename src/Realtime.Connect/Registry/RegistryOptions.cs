namespace Realtime.Connect.Registry;

/// <summary>How long the registry keeps what it records.</summary>
public sealed record RegistryOptions
{
    /// <summary>
    /// API Gateway closes every connection two hours after it opened; the slack covers a $disconnect that arrives
    /// late or never. Every entry expires at connectedAt + this, and reads ignore expired entries.
    /// </summary>
    public TimeSpan TimeToLive { get; init; } = TimeSpan.FromHours(2) + TimeSpan.FromMinutes(10);

    public const string MaxSubscriptionsVariable = "REALTIME_MAX_SUBSCRIPTIONS";

    /// <summary>
    /// The most topics one connection may subscribe to. Each subscription is an item that <c>$disconnect</c> deletes,
    /// so the bound keeps a disconnect's cost (and time) bounded whatever a client does.
    /// </summary>
    public int MaxSubscriptionsPerConnection { get; init; } = 100;

    public DateTimeOffset ExpiryOf(Connection connection) => connection.ConnectedAt + TimeToLive;
}
