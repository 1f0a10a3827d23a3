using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Realtime.Connect.Authorization.Internal;

/// <summary>
/// Validates a JWT the way a Cognito user pool's tokens are meant to be checked: RS256 signature by a key the issuer
/// publishes, <c>iss</c>, <c>exp</c> and <c>nbf</c> (with clock skew), <c>aud</c> or <c>client_id</c>, and
/// <c>token_use</c> when configured. The algorithm is fixed before any key is looked up, so <c>alg: none</c> and
/// HS256 signed with the public key (key confusion) never reach signature checking.
/// </summary>
internal sealed class TokenValidator
{
    private const string TokenUseClaim = "token_use";
    private const string ClientIdClaim = "client_id";
    private const string AudienceClaim = "aud";

    private readonly AuthorizerOptions _options;
    private readonly JwksProvider _keys;
    private readonly TimeProvider _timeProvider;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    public TokenValidator(AuthorizerOptions options, JwksProvider keys, TimeProvider timeProvider)
    {
        _options = options;
        _keys = keys;
        _timeProvider = timeProvider;
    }

    public async Task<TokenCheck> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        JsonWebToken jwt;
        try
        {
            jwt = _handler.ReadJsonWebToken(token);
        }
        catch (Exception exception) when (exception is ArgumentException or SecurityTokenException)
        {
            return TokenCheck.Denied(DenyReason.Malformed);
        }

        if (jwt.IsEncrypted) return TokenCheck.Denied(DenyReason.Encrypted);
        if (!string.Equals(jwt.Alg, SecurityAlgorithms.RsaSha256, StringComparison.Ordinal))
            return TokenCheck.Denied(DenyReason.UnsupportedAlgorithm, Printable(jwt.Alg));
        if (string.IsNullOrEmpty(jwt.Kid)) return TokenCheck.Denied(DenyReason.MissingKeyId);

        var key = await _keys.FindKeyAsync(jwt.Kid, cancellationToken).ConfigureAwait(false);
        if (key is null) return TokenCheck.Denied(DenyReason.UnknownSigningKey, Printable(jwt.Kid));

        var result = await _handler.ValidateTokenAsync(jwt, Parameters(key)).ConfigureAwait(false);
        if (!result.IsValid) return TokenCheck.Denied(Classify(result.Exception), result.Exception?.GetType().Name);

        if (!HasAudience(jwt)) return TokenCheck.Denied(DenyReason.InvalidAudience);
        if (_options.TokenUse is { } tokenUse && !(jwt.TryGetClaim(TokenUseClaim, out var use) && use.Value == tokenUse))
            return TokenCheck.Denied(DenyReason.InvalidTokenUse);
        if (string.IsNullOrWhiteSpace(jwt.Subject)) return TokenCheck.Denied(DenyReason.MissingSubject);

        return TokenCheck.Valid(jwt);
    }

    private TokenValidationParameters Parameters(SecurityKey key) => new()
    {
        ValidIssuer = _options.Issuer,
        ValidateIssuer = true,
        // aud or client_id is checked below: Cognito access tokens carry client_id and no aud.
        ValidateAudience = false,
        ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        IssuerSigningKey = key,
        TryAllIssuerSigningKeys = false,
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ValidateLifetime = true,
        ClockSkew = _options.ClockSkew,
        LifetimeValidator = ValidateLifetime,
    };

    // The library's own lifetime check reads the system clock; this one reads the injected TimeProvider.
    private bool ValidateLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        if (expires is not { } expiresAt) throw new SecurityTokenNoExpirationException("The token has no expiry.");
        if (notBefore is { } notBeforeAt && notBeforeAt > expiresAt)
            throw new SecurityTokenInvalidLifetimeException("The token's nbf is after its exp.") { NotBefore = notBeforeAt, Expires = expiresAt };

        var now = _timeProvider.GetUtcNow().UtcDateTime;
        if (notBefore is { } start && start > now + _options.ClockSkew)
            throw new SecurityTokenNotYetValidException("The token is not valid yet.") { NotBefore = start };
        if (expiresAt <= now - _options.ClockSkew)
            throw new SecurityTokenExpiredException("The token has expired.") { Expires = expiresAt };
        return true;
    }

    // client_id stands in for aud only in a token without any aud (a Cognito access token): a token that names another
    // audience was minted for that audience, whatever its client_id says.
    private bool HasAudience(JsonWebToken jwt)
    {
        if (jwt.TryGetPayloadValue<object>(AudienceClaim, out _))
            return jwt.Audiences.Any(audience => _options.Audiences.Contains(audience, StringComparer.Ordinal));
        return jwt.TryGetClaim(ClientIdClaim, out var clientId) && _options.Audiences.Contains(clientId.Value, StringComparer.Ordinal);
    }

    private static DenyReason Classify(Exception? exception) => exception switch
    {
        SecurityTokenExpiredException => DenyReason.Expired,
        SecurityTokenNotYetValidException => DenyReason.NotYetValid,
        SecurityTokenNoExpirationException => DenyReason.MissingExpiry,
        SecurityTokenInvalidIssuerException => DenyReason.InvalidIssuer,
        SecurityTokenInvalidAlgorithmException => DenyReason.UnsupportedAlgorithm,
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => DenyReason.InvalidSignature,
        SecurityTokenMalformedException => DenyReason.Malformed,
        _ => DenyReason.Invalid,
    };

    // Header values come from the client: log them only as short printable text.
    private static string Printable(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "(none)";
        var text = value.Length > 64 ? value[..64] : value;
        return string.Concat(text.Select(c => char.IsControl(c) ? '?' : c));
    }
}
