using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Realtime.Connect.Authorization;
using Realtime.Local.Identity.Internal;

namespace Realtime.Local.Identity;

/// <summary>
/// The local host's token issuer: an RSA key (made at start-up or read from a file), RS256 JWTs shaped like a Cognito
/// user pool's ID tokens (<c>sub</c>, <c>cognito:username</c>, <c>cognito:groups</c>, <c>token_use: id</c>), issued by
/// <c>{baseUrl}/dev</c> for the audience <c>realtime-local</c>, and the JWKS that publishes the key. The authorizer
/// validates these tokens exactly as it validates a user pool's: only its issuer, audience and JWKS address differ.
/// </summary>
public sealed class DevelopmentTokenIssuer : IDisposable
{
    public const string Audience = "realtime-local";
    public const string PathPrefix = "/dev";
    public const string JwksPath = PathPrefix + "/.well-known/jwks.json";
    public const string TokenPath = PathPrefix + "/token";

    private readonly RSA _rsa;
    private readonly SigningCredentials _credentials;
    private readonly DevelopmentTokenOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly IServer? _server;
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private string? _baseUrl;

    public DevelopmentTokenIssuer(IOptions<DevelopmentTokenOptions> options, TimeProvider timeProvider, IServer? server = null)
    {
        _options = options.Value;
        _timeProvider = timeProvider;
        _server = server;
        _baseUrl = _options.BaseUrl is { Length: > 0 } configured ? Normalize(configured) : null;
        _rsa = SigningKeyFile.LoadOrCreate(_options.KeyFile);
        KeyId = Thumbprint(_rsa);
        _credentials = new SigningCredentials(new RsaSecurityKey(_rsa) { KeyId = KeyId }, SecurityAlgorithms.RsaSha256);
    }

    /// <summary>The RFC 7638 thumbprint of the public key: stable for a key read from the same file.</summary>
    public string KeyId { get; }

    /// <summary>The host's base URL, e.g. <c>http://localhost:5000</c>.</summary>
    public string BaseUrl => _baseUrl ??= Normalize(ListeningAddress());

    /// <summary>The <c>iss</c> of every token: <c>{BaseUrl}/dev</c>.</summary>
    public string Issuer => BaseUrl + PathPrefix;

    public Uri JwksUrl => new(BaseUrl + JwksPath);

    /// <summary>What the authorizer needs to accept these tokens: this issuer, its audience, its JWKS address.</summary>
    public AuthorizerOptions CreateAuthorizerOptions(bool allowAnonymous = false) => new()
    {
        Issuer = Issuer,
        Audiences = [Audience],
        JwksUrl = JwksUrl,
        AllowAnonymous = allowAnonymous,
    };

    /// <summary>Mints a token for <paramref name="request"/>, which must have passed <see cref="Validate"/>.</summary>
    public DevelopmentTokenResponse Mint(DevelopmentTokenRequest request)
    {
        if (Validate(request) is { } problem) throw new ArgumentException(problem, nameof(request));

        var lifetime = request.ExpiresIn is { } seconds ? TimeSpan.FromSeconds(seconds) : _options.DefaultLifetime;
        var now = _timeProvider.GetUtcNow().UtcDateTime;
        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["sub"] = request.Sub!,
            ["cognito:username"] = request.Username ?? request.Sub!,
            ["token_use"] = "id",
            ["jti"] = Guid.NewGuid().ToString("N"),
        };
        if (request.Groups is { Count: > 0 } groups) claims["cognito:groups"] = groups.ToArray();

        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            Claims = claims,
            SigningCredentials = _credentials,
        });
        return new DevelopmentTokenResponse(token, (int)lifetime.TotalSeconds);
    }

    /// <summary>Why <paramref name="request"/> cannot be minted, or null when it can.</summary>
    public string? Validate(DevelopmentTokenRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Sub)) return "\"sub\" (or ?user=) is required.";
        if (Invalid(request.Sub)) return "\"sub\" must be at most 128 characters without control characters.";
        if (request.Username is not null && (request.Username.Trim().Length == 0 || Invalid(request.Username)))
            return "\"username\" must be 1 to 128 characters without control characters.";
        if (request.Groups is { } groups)
        {
            if (groups.Count > 50) return "At most 50 groups.";
            // The authorizer joins groups with commas into one context value.
            if (groups.Any(group => string.IsNullOrWhiteSpace(group) || Invalid(group) || group.Contains(',')))
                return "Each group must be 1 to 128 characters without commas or control characters.";
        }
        if (request.ExpiresIn is { } seconds && (seconds < 1 || seconds > _options.MaximumLifetime.TotalSeconds))
            return $"\"expiresIn\" must be between 1 and {(int)_options.MaximumLifetime.TotalSeconds} seconds.";
        return null;
    }

    /// <summary>The JWKS document: the one public key, as the authorizer fetches it.</summary>
    internal JsonWebKeySetDocument Jwks()
    {
        var parameters = _rsa.ExportParameters(includePrivateParameters: false);
        return new JsonWebKeySetDocument([
            new PublicJsonWebKey("RSA", KeyId, "sig", SecurityAlgorithms.RsaSha256,
                Base64UrlEncoder.Encode(parameters.Modulus), Base64UrlEncoder.Encode(parameters.Exponent)),
        ]);
    }

    public void Dispose() => _rsa.Dispose();

    private static bool Invalid(string value) => value.Length > 128 || value.Any(char.IsControl);

    private string ListeningAddress()
    {
        var addresses = _server?.Features.Get<IServerAddressesFeature>()?.Addresses;
        var address = addresses?.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? addresses?.FirstOrDefault();
        if (address is null || !Uri.TryCreate(address.Replace("://+", "://localhost").Replace("://*", "://localhost"), UriKind.Absolute, out var uri) || uri.Port == 0)
        {
            throw new InvalidOperationException(
                "The development token issuer's base URL is not known until the server listens; set DevelopmentTokenOptions.BaseUrl.");
        }

        var host = uri.Host is "0.0.0.0" or "[::]" or "::" ? "localhost" : uri.Host;
        return new UriBuilder(uri.Scheme, host, uri.Port).Uri.GetLeftPart(UriPartial.Authority);
    }

    private static string Normalize(string baseUrl)
    {
        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new InvalidOperationException($"The development token base URL must be an absolute http(s) URL: '{baseUrl}'.");
        return baseUrl.TrimEnd('/');
    }

    private static string Thumbprint(RSA rsa)
    {
        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        // RFC 7638: the required members in lexicographic order, no whitespace.
        var canonical = $"{{\"e\":\"{Base64UrlEncoder.Encode(parameters.Exponent)}\",\"kty\":\"RSA\",\"n\":\"{Base64UrlEncoder.Encode(parameters.Modulus)}\"}}";
        return Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}
