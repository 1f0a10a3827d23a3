namespace Realtime.Connect.Registry;

/// <summary>
/// How many messages one connection, and one user over all their connections, may send per second. API Gateway's
/// own throttle is shared by every client of a stage, so one client could use it all; this bound is per client.
/// Zero means no limit. Counted in fixed one-second windows, so a burst across a window's edge may reach twice the
/// limit for an instant.
/// </summary>
public sealed record MessageRateLimit(int PerConnection, int PerUser)
{
    public const string PerConnectionVariable = "REALTIME_MESSAGE_RATE_PER_CONNECTION";
    public const string PerUserVariable = "REALTIME_MESSAGE_RATE_PER_USER";

    /// <summary>No limit: nothing is counted.</summary>
    public static MessageRateLimit None { get; } = new(0, 0);

    /// <summary>The deployed defaults: 10 messages a second per connection, 30 per user.</summary>
    public static MessageRateLimit Default { get; } = new(10, 30);

    public bool IsNone => PerConnection <= 0 && PerUser <= 0;
}
