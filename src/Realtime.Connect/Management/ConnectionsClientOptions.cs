using Amazon.Runtime;
using Microsoft.Extensions.Options;

namespace Realtime.Connect.Management;

/// <summary>
/// How <see cref="ConnectionsClient"/> signs, times out and retries. Every call gets at most
/// <see cref="MaxRetryAttempts"/> retries, each attempt at most <see cref="AttemptTimeout"/>, and the whole call never
/// outlives <see cref="TotalTimeout"/> (or an earlier deadline given with <see cref="ConnectionsClient.WithDeadline"/>).
/// </summary>
public sealed class ConnectionsClientOptions
{
    /// <summary>PostToConnection's limit: a larger payload is answered 413 without a request.</summary>
    public const int MaxPayloadBytes = 128 * 1024;

    /// <summary>Retries after the first attempt, for 429, 5xx, timeouts and transport errors only.</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>The first backoff; it doubles with every retry, with jitter, up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long one request may wait for its answer.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How long a call may take, retries and backoff included.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The signing region (<c>AWS_REGION</c>). When null, https endpoints take it from an
    /// <c>{api}.execute-api.{region}.amazonaws.com</c> host; http (local) endpoints use <c>us-east-1</c>.
    /// </summary>
    public string? Region { get; set; }

    /// <summary>
    /// Credentials to sign every request with. When null, https endpoints use the AWS SDK's default chain
    /// (environment, profile, web identity, container, instance metadata) and http endpoints, which can only be a
    /// local host, use <see cref="LocalCredentials"/>, so real credentials never travel in plain text.
    /// </summary>
    public AWSCredentials? Credentials { get; set; }

    /// <summary>Returns a number in [0, 1) for backoff jitter; tests fix it.</summary>
    public Func<double> Randomizer { get; set; } = Random.Shared.NextDouble;

    /// <summary>The fixed credentials requests to an http:// (local) endpoint are signed with.</summary>
    public static AWSCredentials LocalCredentials { get; } = new BasicAWSCredentials(LocalAccessKey, LocalSecretKey);

    public const string LocalAccessKey = "LOCALREALTIMEKEY";
    public const string LocalSecretKey = "local-realtime-secret";

    /// <summary>Defaults plus <c>AWS_REGION</c>.</summary>
    public static ConnectionsClientOptions FromEnvironment() => new()
    {
        Region = Environment.GetEnvironmentVariable("AWS_REGION") is { Length: > 0 } region ? region : null,
    };

    /// <summary>Throws <see cref="OptionsValidationException"/> when a value is out of range.</summary>
    public ConnectionsClientOptions Validated()
    {
        var result = new ConnectionsClientOptionsValidator().Validate(Options.DefaultName, this);
        if (result.Failed) throw new OptionsValidationException(Options.DefaultName, typeof(ConnectionsClientOptions), result.Failures);
        return this;
    }
}
