using Realtime.Connect.Contract;
using Realtime.Connect.Registry;

namespace Realtime.Connect.Management;

/// <summary>
/// Where @connections lives for a connection: <c>https://{domainName}/{stage}</c> from the event, unless
/// <c>REALTIME_CONNECTIONS_ENDPOINT</c> says otherwise (a custom domain's base path, which need not be the stage, or
/// the local host, e.g. <c>http://127.0.0.1:4000/local</c>).
/// </summary>
public static class ConnectionsEndpoint
{
    public const string EnvironmentVariable = "REALTIME_CONNECTIONS_ENDPOINT";

    /// <summary>The configured endpoint, or null when <c>REALTIME_CONNECTIONS_ENDPOINT</c> is unset or empty.</summary>
    public static Uri? FromEnvironment() => Parse(Environment.GetEnvironmentVariable(EnvironmentVariable));

    /// <summary>Parses a configured endpoint: an absolute http(s) URI; a trailing slash is dropped.</summary>
    public static Uri? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new FormatException($"{EnvironmentVariable} must be an absolute http(s) URI, got '{value}'.");
        }
        return Normalize(uri);
    }

    /// <summary>The API's own endpoint: <c>https://{domainName}/{stage}</c>.</summary>
    public static Uri For(string domainName, string stage)
    {
        ArgumentException.ThrowIfNullOrEmpty(domainName);
        ArgumentException.ThrowIfNullOrEmpty(stage);
        return new Uri($"https://{domainName}/{stage}", UriKind.Absolute);
    }

    /// <summary>The endpoint for the connection of an event: <paramref name="configured"/> when set, else the event's.</summary>
    public static Uri For(WebSocketRequestContext requestContext, Uri? configured = null)
    {
        ArgumentNullException.ThrowIfNull(requestContext);
        return configured ?? For(
            requestContext.DomainName ?? throw new ArgumentException("The event has no domainName.", nameof(requestContext)),
            requestContext.Stage ?? throw new ArgumentException("The event has no stage.", nameof(requestContext)));
    }

    /// <summary>The endpoint for a recorded connection: <paramref name="configured"/> when set, else its domain and stage.</summary>
    public static Uri For(Connection connection, Uri? configured = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return configured ?? For(connection.DomainName, connection.Stage);
    }

    private static Uri Normalize(Uri uri) =>
        uri.AbsolutePath.Length > 1 && uri.AbsolutePath.EndsWith('/')
            ? new Uri(uri.GetLeftPart(UriPartial.Authority) + uri.AbsolutePath.TrimEnd('/'), UriKind.Absolute)
            : uri;
}
