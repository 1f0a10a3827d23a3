namespace Realtime.Local.Identity;

/// <summary>How the local host mints development tokens.</summary>
public sealed class DevelopmentTokenOptions
{
    /// <summary>
    /// The host's base URL (e.g. <c>http://localhost:5000</c>); the issuer is this plus <c>/dev</c>. When null it is
    /// taken from the address the server listens on, once it listens (a wildcard host becomes <c>localhost</c>).
    /// </summary>
    public string? BaseUrl { get; set; }

    /// <summary>
    /// A PEM file with the RSA private key. When it exists the key is read from it, so tokens survive a restart; when it
    /// does not, a new key is written there. When null a new key is made at every start.
    /// </summary>
    public string? KeyFile { get; set; }

    /// <summary>The lifetime of a token when the request names none.</summary>
    public TimeSpan DefaultLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The longest lifetime a request may ask for.</summary>
    public TimeSpan MaximumLifetime { get; set; } = TimeSpan.FromDays(1);
}
