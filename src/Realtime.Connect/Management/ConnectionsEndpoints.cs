using Realtime.Connect.Contract;
using Realtime.Connect.Registry;

namespace Realtime.Connect.Management;

/// <summary>
/// Where <c>@connections</c> is, from configuration only (<c>REALTIME_CONNECTIONS_ENDPOINT</c>): the stage's
/// execute-api URL, a custom domain's base path, or the local host. Requests to it are signed with the function's
/// credentials, so an event never names the host: its <c>domainName</c> (or the one recorded at <c>$connect</c>) may
/// only choose among the configured endpoints (the execute-api domain and a custom domain of the same API), and one
/// that matches none gets the first.
/// </summary>
public sealed class ConnectionsEndpoints
{
    public const string EnvironmentVariable = "REALTIME_CONNECTIONS_ENDPOINT";

    private readonly Uri[] _endpoints;

    public ConnectionsEndpoints(params IReadOnlyList<Uri> endpoints)
    {
        if (endpoints.Count == 0) throw new ArgumentException("At least one @connections endpoint is needed.", nameof(endpoints));
        _endpoints = endpoints.Select(Checked).ToArray();
    }

    /// <summary>The first configured endpoint: where a connection whose domain matches none is reached.</summary>
    public Uri Default => _endpoints[0];

    public IReadOnlyList<Uri> All => _endpoints;

    /// <summary>
    /// Parses <c>REALTIME_CONNECTIONS_ENDPOINT</c>: one or more absolute http(s) URLs, comma-separated, without user
    /// information, query or fragment; a trailing slash is dropped.
    /// </summary>
    public static ConnectionsEndpoints Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var parts = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0) throw new FormatException($"{EnvironmentVariable} names no endpoint.");
        return new ConnectionsEndpoints(parts.Select(part =>
            Uri.TryCreate(part, UriKind.Absolute, out var uri) && Checked(uri, throwing: false) is { } ok
                ? ok
                : throw new FormatException($"{EnvironmentVariable} must list absolute http(s) URLs without credentials, query or fragment, got '{part}'.")).ToArray());
    }

    /// <summary>The endpoint for a connection reached through <paramref name="domainName"/>: the configured one on that host, else <see cref="Default"/>.</summary>
    public Uri For(string? domainName)
    {
        if (!string.IsNullOrEmpty(domainName))
        {
            foreach (var endpoint in _endpoints)
            {
                if (string.Equals(endpoint.Authority, domainName, StringComparison.OrdinalIgnoreCase) ||
                    string.Equals(endpoint.Host, domainName, StringComparison.OrdinalIgnoreCase))
                {
                    return endpoint;
                }
            }
        }
        return _endpoints[0];
    }

    public Uri For(WebSocketRequestContext requestContext) => For(requestContext.DomainName);

    public Uri For(Connection connection) => For(connection.DomainName);

    private static Uri Checked(Uri uri) => Checked(uri, throwing: true)!;

    private static Uri? Checked(Uri uri, bool throwing)
    {
        var ok = uri.IsAbsoluteUri && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
                 && uri.UserInfo.Length == 0 && uri.Query.Length == 0 && uri.Fragment.Length == 0;
        if (!ok)
        {
            return throwing ? throw new ArgumentException($"'{uri}' is not an absolute http(s) URL without credentials, query or fragment.", nameof(uri)) : null;
        }
        return uri.AbsolutePath.Length > 1 && uri.AbsolutePath.EndsWith('/')
            ? new Uri(uri.GetLeftPart(UriPartial.Authority) + uri.AbsolutePath.TrimEnd('/'), UriKind.Absolute)
            : uri;
    }
}
