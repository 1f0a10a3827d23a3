using Microsoft.IdentityModel.JsonWebTokens;

namespace Realtime.Connect.Authorization.Internal;

/// <summary>The outcome of checking one token: its verified claims, or why it was refused.</summary>
internal readonly record struct TokenCheck(JsonWebToken? Token, DenyReason Reason, string? Detail = null)
{
    public bool IsValid => Reason == DenyReason.None && Token is not null;

    public static TokenCheck Valid(JsonWebToken token) => new(token, DenyReason.None);

    public static TokenCheck Denied(DenyReason reason, string? detail = null) => new(null, reason, detail);
}
