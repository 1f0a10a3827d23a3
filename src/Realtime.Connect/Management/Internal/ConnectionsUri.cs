namespace Realtime.Connect.Management.Internal;

/// <summary>
/// Builds <c>{endpoint}/@connections/{connectionId}</c> encoded once on the wire: <c>@</c> as <c>%40</c> and the id
/// through RFC 3986 escaping (<c>=</c> as <c>%3D</c>). The same Uri is signed and sent, so the signature covers the
/// exact path API Gateway receives.
/// </summary>
internal static class ConnectionsUri
{
    public const string Segment = "%40connections";

    public static Uri For(ConnectionTarget target)
    {
        ArgumentNullException.ThrowIfNull(target.Endpoint);
        ArgumentException.ThrowIfNullOrEmpty(target.ConnectionId);

        var endpoint = target.Endpoint;
        var basePath = endpoint.AbsolutePath.AsSpan().TrimEnd('/');
        var id = Uri.EscapeDataString(target.ConnectionId);
        var authority = endpoint.GetLeftPart(UriPartial.Authority);
        return new Uri(string.Concat(authority, basePath, $"/{Segment}/", id), UriKind.Absolute);
    }
}
