namespace Realtime.Smoke;

/// <summary>
/// What a refused WebSocket handshake's status usually means on API Gateway (and the local host, which answers the
/// same): see docs/identity.md, "Which failure gives which handshake status".
/// </summary>
internal static class HandshakeRefusal
{
    public static string Describe(int status, TokenSource token) => $"handshake refused with {status}: " + status switch
    {
        401 when token == TokenSource.None =>
            "no token, and the authorizer requires one (pass --token or set REALTIME_TOKEN, or deploy with AllowAnonymous=true)",
        401 => "the authorizer answered Unauthorized although a token was sent",
        403 when token == TokenSource.None =>
            "the URL names no stage of this API, or anonymous connections are not let in",
        403 => $"the {Describe(token)} was refused (garbage, expired, another issuer or audience than JwtIssuer/JwtAudience, "
            + "or signed by another key; the authorizer logs TokenDenied with the reason), or the URL names no stage of this API",
        500 => "the authorizer failed: it is misconfigured (JwtIssuer, JwtAudience) or could not fetch the signing keys; see its logs",
        502 => "the $connect function failed or gave no valid answer; see its logs",
        504 => "the authorizer or the $connect function timed out",
        429 => "throttled: too many new connections per second",
        _ => "not a status API Gateway gives for this endpoint; is the URL right?",
    };

    private static string Describe(TokenSource token) => token switch
    {
        TokenSource.Environment => "token in REALTIME_TOKEN",
        TokenSource.DevelopmentToken => "development token",
        _ => "token",
    };
}
