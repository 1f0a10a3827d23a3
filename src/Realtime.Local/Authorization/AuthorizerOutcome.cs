using Realtime.Connect.Contract;

namespace Realtime.Local.Authorization;

/// <summary>
/// What the authorizer decided: allowed (with the principal and stringified context to replay on later events), or
/// the handshake status: 401 (identity source missing, or the function failed with "Unauthorized"), 403 (Deny or no
/// matching Allow) or 500 (any other failure, or a malformed result).
/// </summary>
public readonly record struct AuthorizerOutcome(int Status, AuthorizerContext? Context, long LatencyMilliseconds, string Reason)
{
    public bool Allowed => Status == 0;
}
