namespace Realtime.Local.Hosting;

/// <summary>
/// The browser pages that may open WebSocket and SignalR connections: pages served from this machine (a loopback
/// origin, any port), the origins given with <c>--allow-origin</c>, or any page with <c>*</c>. A browser sends no
/// CORS preflight for a WebSocket, so without this check any site the developer visits could connect.
/// </summary>
public sealed class AllowedOrigins
{
    public const string Any = "*";

    private readonly HashSet<string> _origins = new(StringComparer.OrdinalIgnoreCase);
    private readonly bool _any;

    public AllowedOrigins(IEnumerable<string> origins)
    {
        foreach (var origin in origins)
        {
            if (origin == Any) _any = true;
            else _origins.Add(Normalize(origin) ?? throw new ArgumentException($"'{origin}' is not an origin (scheme://host[:port]) or {Any}.", nameof(origins)));
        }
    }

    /// <summary>Whether a page of <paramref name="origin"/> (an <c>Origin</c> header's value) may connect.</summary>
    public bool Allows(string origin) =>
        _any || LoopbackNames.IsLoopbackOrigin(origin) || (Normalize(origin) is { } normal && _origins.Contains(normal));

    /// <summary>
    /// <c>scheme://host[:port]</c> as a browser sends it (lowercase host, no default port), or null when
    /// <paramref name="origin"/> is not an http(s) origin: no path, query, fragment or user.
    /// </summary>
    public static string? Normalize(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.UserInfo.Length == 0
            && uri.AbsolutePath == "/" && uri.Query.Length == 0 && uri.Fragment.Length == 0
            ? uri.GetLeftPart(UriPartial.Authority)
            : null;
}
