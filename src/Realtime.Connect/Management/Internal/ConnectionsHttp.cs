using System.Net;

namespace Realtime.Connect.Management.Internal;

/// <summary>
/// The one HttpClient every @connections call in the process goes through: a pooled SocketsHttpHandler keeps
/// connections to the endpoint warm across calls and fan-outs (a client per call would pay a TLS handshake each
/// time and exhaust sockets). Timeouts belong to the resilience pipeline, not to the client.
/// </summary>
internal static class ConnectionsHttp
{
    public static HttpClient Shared { get; } = new(
        new SocketsHttpHandler
        {
            // Re-resolve DNS now and then: API Gateway's addresses change.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            ConnectTimeout = TimeSpan.FromSeconds(5),
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            UseProxy = false,
            AllowAutoRedirect = false,
        },
        disposeHandler: false)
    {
        Timeout = System.Threading.Timeout.InfiniteTimeSpan,
    };
}
