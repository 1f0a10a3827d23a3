using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Realtime.Local.Hosting;

/// <summary>Which connection registry the functions get.</summary>
public enum RegistryKind
{
    /// <summary>In memory, gone when the host stops (the default; no AWS account needed).</summary>
    Memory,
    /// <summary>DynamoDB, e.g. DynamoDB Local, at <see cref="LocalGatewayOptions.DynamoDbEndpoint"/>.</summary>
    DynamoDb,
}

/// <summary>Everything the local host can be told, from the command line or from a test.</summary>
public sealed class LocalGatewayOptions
{
    /// <summary>The loopback port; 0 picks a free one.</summary>
    public int Port { get; set; } = 4000;

    public string Stage { get; set; } = "local";

    /// <summary>The SAM template; null finds serverless.template above the current directory or the app.</summary>
    public string? TemplatePath { get; set; }

    /// <summary>Template parameter values that replace their defaults.</summary>
    public IDictionary<string, string> Parameters { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public RegistryKind Registry { get; set; } = RegistryKind.Memory;
    public Uri? DynamoDbEndpoint { get; set; }

    /// <summary>The DynamoDB table (what <c>Ref</c> of the template's table gives the functions).</summary>
    public string? TableName { get; set; }

    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(10);
    public TimeSpan MaxDuration { get; set; } = TimeSpan.FromHours(2);
    public TimeSpan IntegrationTimeout { get; set; } = TimeSpan.FromSeconds(29);

    /// <summary>Whether $disconnect is invoked (API Gateway delivers it on a best-effort basis only).</summary>
    public bool DeliverDisconnect { get; set; } = true;

    /// <summary>How long after a close $disconnect is invoked (late delivery, to test backends against it).</summary>
    public TimeSpan DisconnectDelay { get; set; } = TimeSpan.Zero;

    /// <summary>How many of one connection's messages may have their function running at once; at least 1.</summary>
    public int MaxInFlightPerConnection { get; set; } = 10;

    /// <summary>
    /// Browser origins (<c>https://app.example.com</c>, or <c>*</c> for any) whose pages may open WebSocket and SignalR
    /// connections besides pages on this machine.
    /// </summary>
    public IList<string> AllowedOrigins { get; } = new List<string>();

    /// <summary>The API id in events; random when null.</summary>
    public string? ApiId { get; set; }

    /// <summary>The clock of events and timers; the system clock when null.</summary>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>Write the one-line-per-event log to the console.</summary>
    public bool ConsoleLog { get; set; } = true;

    /// <summary>
    /// The lowest level of the gateway's event lines: Information (each event), Debug (also @connections calls),
    /// Warning (quiet). Null leaves it to configuration (<c>Logging:LogLevel</c>), Information by default.
    /// </summary>
    public LogLevel? EventLevel { get; set; }

    /// <summary>Sets the functions' template environment variables in the process, where not already set.</summary>
    public bool ApplyFunctionEnvironment { get; set; } = true;

    /// <summary>The path @connections is served under, as on a custom domain's API mapping; null means the stage.</summary>
    public string? ConnectionsBasePath { get; set; }

    /// <summary>Whether the authorizer lets clients without a token connect (as on AWS with AllowAnonymous=true).</summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>The key <c>POST /publish</c> asks for in <c>X-Realtime-Publish-Key</c>; made up at start-up unless given.</summary>
    public string PublishKey { get; set; } = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();

    /// <summary>Extra services (they can replace the defaults, e.g. the registry).</summary>
    public Action<IServiceCollection>? ConfigureServices { get; set; }

    /// <summary>Extra logging configuration, e.g. a test's logger provider.</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; set; }
}
