namespace Realtime.Connect.Hosting.Metrics;

/// <summary>A metric the gateway reports, with its CloudWatch unit.</summary>
public sealed record Metric(string Name, string Unit)
{
    public const string CountUnit = "Count";
    public const string MillisecondsUnit = "Milliseconds";

    /// <summary>Connections <c>$connect</c> recorded.</summary>
    public static readonly Metric ConnectionsOpened = new(nameof(ConnectionsOpened), CountUnit);

    /// <summary>Connections <c>$disconnect</c> forgot.</summary>
    public static readonly Metric ConnectionsClosed = new(nameof(ConnectionsClosed), CountUnit);

    /// <summary>Client messages routed; reported per function and per function and route.</summary>
    public static readonly Metric Messages = new(nameof(Messages), CountUnit);

    /// <summary>Fan-out posts @connections accepted.</summary>
    public static readonly Metric Deliveries = new(nameof(Deliveries), CountUnit);

    /// <summary>Fan-out posts that found the connection gone (410), which fan-out then removed.</summary>
    public static readonly Metric GoneConnections = new(nameof(GoneConnections), CountUnit);

    /// <summary>@connections attempts made again after a 429, 5xx, timeout or transport error.</summary>
    public static readonly Metric ConnectionsRetries = new(nameof(ConnectionsRetries), CountUnit);

    /// <summary>@connections answers of 429: API Gateway's account or connection limits.</summary>
    public static readonly Metric ConnectionsThrottles = new(nameof(ConnectionsThrottles), CountUnit);

    /// <summary>How long one publish record's fan-out took.</summary>
    public static readonly Metric PublishLatency = new(nameof(PublishLatency), MillisecondsUnit);

    /// <summary>Client messages dropped for exceeding the message rate.</summary>
    public static readonly Metric RateLimited = new(nameof(RateLimited), CountUnit);
}
