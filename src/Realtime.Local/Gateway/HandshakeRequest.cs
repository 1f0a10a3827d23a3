using Microsoft.Extensions.Primitives;

namespace Realtime.Local.Gateway;

/// <summary>
/// A client's opening request, whatever the transport: the raw WebSocket upgrade or the SignalR connect request.
/// Headers and query parameters keep the client's order; header names keep the case the server saw.
/// </summary>
/// <param name="DomainName">The Host the client addressed (the event's <c>domainName</c>).</param>
/// <param name="SourceIp">The client's address.</param>
/// <param name="Headers">The request headers, including <c>Connection</c> and <c>Upgrade</c>.</param>
/// <param name="Query">The query parameters; empty when the URL had no query string.</param>
/// <param name="OfferedSubprotocols">The <c>Sec-WebSocket-Protocol</c> values the client offered.</param>
/// <param name="LocalPort">The port the client connected to (<c>X-Forwarded-Port</c>).</param>
/// <param name="Scheme">http or https (<c>X-Forwarded-Proto</c>).</param>
public sealed record HandshakeRequest(
    string DomainName,
    string SourceIp,
    IReadOnlyList<KeyValuePair<string, StringValues>> Headers,
    IReadOnlyList<KeyValuePair<string, StringValues>> Query,
    IReadOnlyList<string> OfferedSubprotocols,
    int LocalPort,
    string Scheme)
{
    public string? Header(string name)
    {
        foreach (var (key, value) in Headers)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase)) return value.Count > 0 ? value[^1] : null;
        }
        return null;
    }

    public string? QueryParameter(string name)
    {
        foreach (var (key, value) in Query)
        {
            if (string.Equals(key, name, StringComparison.Ordinal)) return value.Count > 0 ? value[^1] : null;
        }
        return null;
    }

    public string? UserAgent => Header("User-Agent");
}
