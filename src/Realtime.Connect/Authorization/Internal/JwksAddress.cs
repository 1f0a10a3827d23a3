namespace Realtime.Connect.Authorization.Internal;

/// <summary>
/// Where signing keys may come from: https, or plain http on a loopback host (the local host and tests). Keys fetched
/// over http from anywhere else could be swapped on the way, and every token signed with the swapped key would pass.
/// </summary>
internal static class JwksAddress
{
    public static bool IsTrusted(Uri address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!address.IsAbsoluteUri) return false;
        if (address.Scheme == Uri.UriSchemeHttps) return true;
        // Uri.IsLoopback: localhost, 127.0.0.0/8 and ::1 (also as ::ffff:127.x.y.z).
        return address.Scheme == Uri.UriSchemeHttp && address.IsLoopback;
    }
}
