using Realtime.Local.Hosting;

namespace Realtime.Local.Tests.Infrastructure;

/// <summary>URLs of the @connections endpoint, encoded as SDKs encode them.</summary>
public static class ConnectionsApi
{
    /// <summary><c>http://127.0.0.1:{port}/{stage}/@connections/{id}</c> with the id's <c>=</c> as <c>%3D</c>.</summary>
    public static Uri Url(LocalGateway gateway, string connectionId, string? stage = null, bool encodeAt = false) =>
        new($"http://127.0.0.1:{gateway.Port}/{stage ?? gateway.Stage}/{(encodeAt ? "%40" : "@")}connections/{Uri.EscapeDataString(connectionId)}");
}
