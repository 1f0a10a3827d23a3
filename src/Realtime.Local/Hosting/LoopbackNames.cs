using System.Net;

namespace Realtime.Local.Hosting;

/// <summary>
/// The names and addresses that can only mean this machine: <c>localhost</c> and <c>*.localhost</c> (which browsers
/// resolve to loopback themselves, never through DNS), 127.0.0.0/8 and [::1]. A name a DNS server answers for is
/// never one of them, which is what defeats DNS rebinding.
/// </summary>
internal static class LoopbackNames
{
    /// <summary>Whether a host (a Host header's or an origin's, without its port) names this machine.</summary>
    public static bool IsLoopback(string host)
    {
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return host.Length > 0 && host[0] != '.';
        }
        var literal = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        return IPAddress.TryParse(literal, out var address) && IPAddress.IsLoopback(address);
    }

    /// <summary>Whether a browser origin (<c>http(s)://host[:port]</c>) is a page served from this machine.</summary>
    public static bool IsLoopbackOrigin(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && IsLoopback(uri.Host);
}
