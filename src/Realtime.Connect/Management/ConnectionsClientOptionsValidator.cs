using Microsoft.Extensions.Options;

namespace Realtime.Connect.Management;

/// <summary>
/// Range checks for <see cref="ConnectionsClientOptions"/>, written out rather than reflected from attributes so the
/// library stays trimming- and AOT-safe (DataAnnotations' TimeSpan ranges are not).
/// </summary>
public sealed class ConnectionsClientOptionsValidator : IValidateOptions<ConnectionsClientOptions>
{
    public ValidateOptionsResult Validate(string? name, ConnectionsClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        Check(options.MaxRetryAttempts is >= 0 and <= 10, "MaxRetryAttempts must be between 0 and 10.");
        Check(options.BaseDelay >= TimeSpan.Zero && options.BaseDelay <= TimeSpan.FromSeconds(30), "BaseDelay must be between 0 and 30 seconds.");
        Check(options.MaxDelay >= options.BaseDelay && options.MaxDelay <= TimeSpan.FromMinutes(1), "MaxDelay must be at least BaseDelay and at most 1 minute.");
        Check(options.AttemptTimeout > TimeSpan.Zero && options.AttemptTimeout <= TimeSpan.FromMinutes(5), "AttemptTimeout must be positive and at most 5 minutes.");
        Check(options.TotalTimeout > TimeSpan.Zero && options.TotalTimeout <= TimeSpan.FromMinutes(15), "TotalTimeout must be positive and at most 15 minutes.");
        Check(options.Randomizer is not null, "Randomizer is required.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void Check(bool condition, string failure)
        {
            if (!condition) failures.Add(failure);
        }
    }
}
