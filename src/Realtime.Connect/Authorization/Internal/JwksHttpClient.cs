using System.Net;

namespace Realtime.Connect.Authorization.Internal;

/// <summary>
/// The HTTP client the authorizer fetches keys with when it makes its own. It follows no redirect: the keys come
/// from the configured address or not at all, never from wherever its answer points (an http address, an internal
/// host, a chain of hops).
/// </summary>
internal static class JwksHttpClient
{
    public static HttpClient Create() => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        // Nothing is decompressed, so the size limit bounds what is held, not a small body that expands.
        AutomaticDecompression = DecompressionMethods.None,
        // A warm function lives for hours; new connections pick up changes to the issuer's DNS.
        PooledConnectionLifetime = TimeSpan.FromMinutes(15),
    });
}
