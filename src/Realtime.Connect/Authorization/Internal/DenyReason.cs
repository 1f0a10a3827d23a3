namespace Realtime.Connect.Authorization.Internal;

/// <summary>Why a presented token was refused; logged, never returned to the client.</summary>
internal enum DenyReason
{
    None,
    Malformed,
    Encrypted,
    UnsupportedAlgorithm,
    MissingKeyId,
    UnknownSigningKey,
    InvalidSignature,
    Expired,
    NotYetValid,
    MissingExpiry,
    InvalidIssuer,
    InvalidAudience,
    InvalidTokenUse,
    MissingSubject,
    Invalid,
    NoIssuerConfigured,
}
