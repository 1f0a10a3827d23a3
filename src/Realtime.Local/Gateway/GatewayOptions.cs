namespace Realtime.Local.Gateway;

/// <summary>How the emulated API behaves: its stage, ids and the limits API Gateway enforces.</summary>
public sealed class GatewayOptions
{
    /// <summary>The stage in the URLs and events (<c>ws://host/{stage}</c>).</summary>
    public string Stage { get; set; } = "local";

    /// <summary>
    /// Where @connections is served: <c>/{base path}/@connections/{id}</c>. API Gateway's own endpoint has the stage
    /// here; a custom domain's has its API mapping's base path, which may be another name or nothing at all.
    /// Null means the stage.
    /// </summary>
    public string? ConnectionsBasePath { get; set; }

    public string ManagementBasePath => (ConnectionsBasePath ?? Stage).Trim('/');

    /// <summary>The API id in events and ARNs; 10 random lowercase characters by default.</summary>
    public string ApiId { get; set; } = Connections.ApiGatewayIds.NewApiId();

    public string Region { get; set; } = "us-east-1";
    public string AccountId { get; set; } = "000000000000";

    /// <summary>No data message in either direction for this long closes the connection (1001 "Going away").</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A connection is closed this long after it opened, whatever its activity (1001 "Going away").</summary>
    public TimeSpan MaxDuration { get; set; } = TimeSpan.FromHours(2);

    /// <summary>The integration timeout of routes whose integration does not set TimeoutInMillis.</summary>
    public TimeSpan IntegrationTimeout { get; set; } = TimeSpan.FromSeconds(29);

    /// <summary>Whether $disconnect is invoked; API Gateway only promises best effort, so handlers must cope without it.</summary>
    public bool DeliverDisconnect { get; set; } = true;

    /// <summary>How long after the close $disconnect is invoked: API Gateway delivers it late at times, and backends must cope.</summary>
    public TimeSpan DisconnectDelay { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// How many of one connection's messages may have their function running at once. Beyond it the transport stops
    /// reading that connection until one finishes, so one client cannot start unbounded work (API Gateway would
    /// throttle it instead); other connections are not held up.
    /// </summary>
    public int MaxInFlightPerConnection { get; set; } = 10;

    public const int MaxFrameBytes = 32 * 1024;
    public const int MaxMessageBytes = 128 * 1024;
}
