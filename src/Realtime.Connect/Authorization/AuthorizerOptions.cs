using Realtime.Connect.Authorization.Internal;

namespace Realtime.Connect.Authorization;

/// <summary>
/// What the $connect authorizer accepts. Tokens are RS256 JWTs from <see cref="Issuer"/>, meant for one of
/// <see cref="Audiences"/> (an <c>aud</c> value or, for Cognito access tokens, the <c>client_id</c>), signed by a key
/// published at <see cref="JwksUrl"/>. Without an issuer no token can be accepted: only anonymous connections, when
/// <see cref="AllowAnonymous"/> is on.
/// </summary>
public sealed class AuthorizerOptions
{
    public const string IssuerVariable = "REALTIME_JWT_ISSUER";
    public const string AudienceVariable = "REALTIME_JWT_AUDIENCE";
    public const string TokenUseVariable = "REALTIME_TOKEN_USE";
    public const string AllowAnonymousVariable = "REALTIME_ALLOW_ANONYMOUS";
    public const string JwksUrlVariable = "REALTIME_JWKS_URL";

    /// <summary>The exact <c>iss</c> value, e.g. <c>https://cognito-idp.{region}.amazonaws.com/{userPoolId}</c>.</summary>
    public string? Issuer { get; init; }

    /// <summary>Accepted <c>aud</c> values or Cognito app client ids (<c>client_id</c>).</summary>
    public IReadOnlyList<string> Audiences { get; init; } = [];

    /// <summary>When set, the <c>token_use</c> claim must equal it (Cognito: <c>id</c> or <c>access</c>).</summary>
    public string? TokenUse { get; init; }

    /// <summary>Whether a handshake that carries no token is let in as an anonymous principal.</summary>
    public bool AllowAnonymous { get; init; }

    /// <summary>Where the signing keys are published; <c>{Issuer}/.well-known/jwks.json</c> (Cognito's) when null.</summary>
    public Uri? JwksUrl { get; init; }

    /// <summary>Tolerance on <c>exp</c> and <c>nbf</c> for clocks that drift apart.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The least time between two fetches after the first: an unknown <c>kid</c> or a failed fetch causes at most one
    /// per interval, so forged kids cannot flood the issuer and an issuer that is down is not asked on every handshake.
    /// </summary>
    public TimeSpan JwksRefreshInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How old fetched keys may be before they are fetched again, in the background: a removed key stops working once
    /// that fetch succeeds. Until then, and while the issuer cannot be reached, the keys already fetched stay in use.
    /// </summary>
    public TimeSpan JwksMaxAge { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long one JWKS fetch may take, from the request to the last byte.</summary>
    public TimeSpan JwksFetchTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The largest JWKS document read, in bytes; a larger one is a failed fetch. A JWKS holds a few keys of ~1 KB each.</summary>
    public int JwksMaxBytes { get; init; } = 64 * 1024;

    /// <summary>True when tokens can be validated at all.</summary>
    public bool ValidatesTokens => !string.IsNullOrWhiteSpace(Issuer);

    /// <summary>The JWKS address in effect: <see cref="JwksUrl"/>, else the issuer's well-known one.</summary>
    public Uri ResolveJwksUrl()
    {
        if (JwksUrl is not null) return JwksUrl;
        if (!ValidatesTokens) throw new InvalidOperationException("No JWKS address without an issuer.");
        return new Uri(Issuer!.TrimEnd('/') + "/.well-known/jwks.json", UriKind.Absolute);
    }

    /// <summary>Throws when the options could never let a token in correctly, so a misconfiguration fails loudly at start.</summary>
    public void Validate()
    {
        if (!ValidatesTokens)
        {
            if (!AllowAnonymous)
            {
                throw new InvalidOperationException(
                    $"The authorizer has no issuer ({IssuerVariable}) and does not allow anonymous connections ({AllowAnonymousVariable}); it could let no one in.");
            }
            return;
        }

        if (!Uri.TryCreate(Issuer, UriKind.Absolute, out _))
            throw new InvalidOperationException($"The issuer ({IssuerVariable}) must be an absolute URL: '{Issuer}'.");
        if (Audiences.Count == 0 || Audiences.Any(string.IsNullOrWhiteSpace))
            throw new InvalidOperationException($"The authorizer needs at least one audience or app client id ({AudienceVariable}); accepting any audience would accept tokens minted for other applications.");
        var jwks = ResolveJwksUrl();
        if (!JwksAddress.IsTrusted(jwks))
            throw new InvalidOperationException($"The JWKS address ({JwksUrlVariable}, else {IssuerVariable}) must be https (http only on a loopback host): '{jwks}'.");
        if (ClockSkew < TimeSpan.Zero || JwksRefreshInterval < TimeSpan.Zero || JwksMaxAge <= TimeSpan.Zero || JwksFetchTimeout <= TimeSpan.Zero)
            throw new InvalidOperationException("The authorizer's clock skew and JWKS timings must be positive.");
        if (JwksMaxBytes <= 0)
            throw new InvalidOperationException("The authorizer's JWKS size limit must be positive.");
    }

    /// <summary>These options, once <see cref="Validate"/> has passed.</summary>
    public AuthorizerOptions Validated()
    {
        Validate();
        return this;
    }

    /// <summary>Reads the options from <c>REALTIME_*</c> environment variables (the Lambda configuration).</summary>
    public static AuthorizerOptions FromEnvironment(Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        var jwksUrl = Trimmed(getVariable(JwksUrlVariable));
        return new AuthorizerOptions
        {
            Issuer = Trimmed(getVariable(IssuerVariable)),
            Audiences = SplitList(getVariable(AudienceVariable)),
            TokenUse = Trimmed(getVariable(TokenUseVariable)),
            AllowAnonymous = ParseFlag(getVariable(AllowAnonymousVariable), AllowAnonymousVariable),
            JwksUrl = jwksUrl is null
                ? null
                : Uri.TryCreate(jwksUrl, UriKind.Absolute, out var uri)
                    ? uri
                    : throw new InvalidOperationException($"{JwksUrlVariable} must be an absolute URL: '{jwksUrl}'."),
        };
    }

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string[] SplitList(string? value) =>
        value?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

    private static bool ParseFlag(string? value, string name) => Trimmed(value) switch
    {
        null => false,
        var text when bool.TryParse(text, out var flag) => flag,
        var text => throw new InvalidOperationException($"{name} must be true or false, not '{text}'."),
    };
}
