using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace Realtime.Connect.Authorization.Internal;

/// <summary>
/// Reads a JWKS document (RFC 7517) into RSA verification keys. Only keys that can verify RS256 are kept: <c>kty</c>
/// RSA, <c>use</c> absent or <c>sig</c>, <c>alg</c> absent or RS256, a <c>kid</c>, and a modulus of at least 2048
/// bits. Anything else (EC keys, encryption keys, symmetric <c>oct</c> keys) is skipped, so no published key can be
/// used with another algorithm.
/// </summary>
internal static class JwksDocument
{
    private const int MinimumKeySizeInBits = 2048;

    public static SigningKeySet Parse(ReadOnlyMemory<byte> json, DateTimeOffset fetchedAt, out int skipped)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException exception)
        {
            throw new FormatException("The JWKS document is not JSON.", exception);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("keys", out var keys)
                || keys.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("The JWKS document has no \"keys\" array.");
            }

            var found = new Dictionary<string, SecurityKey>(StringComparer.Ordinal);
            skipped = 0;
            foreach (var key in keys.EnumerateArray())
            {
                if (TryReadRsaKey(key, out var keyId, out var securityKey) && found.TryAdd(keyId, securityKey)) continue;
                skipped++;
            }
            return new SigningKeySet(found, fetchedAt);
        }
    }

    private static bool TryReadRsaKey(JsonElement key, out string keyId, out SecurityKey securityKey)
    {
        keyId = "";
        securityKey = null!;
        if (key.ValueKind != JsonValueKind.Object) return false;
        if (Text(key, "kty") != "RSA") return false;
        if (Text(key, "use") is { } use && use != "sig") return false;
        if (Text(key, "alg") is { } alg && alg != SecurityAlgorithms.RsaSha256) return false;
        if (Text(key, "kid") is not { Length: > 0 } kid) return false;

        byte[] modulus, exponent;
        try
        {
            modulus = Base64UrlEncoder.DecodeBytes(Text(key, "n") ?? "");
            exponent = Base64UrlEncoder.DecodeBytes(Text(key, "e") ?? "");
        }
        catch (FormatException)
        {
            return false;
        }
        if (exponent.Length == 0 || TrimLeadingZeros(modulus).Length * 8 < MinimumKeySizeInBits) return false;

        keyId = kid;
        securityKey = new RsaSecurityKey(new RSAParameters { Modulus = TrimLeadingZeros(modulus), Exponent = exponent }) { KeyId = kid };
        return true;
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static byte[] TrimLeadingZeros(byte[] value)
    {
        var start = 0;
        while (start < value.Length - 1 && value[start] == 0) start++;
        return start == 0 ? value : value[start..];
    }
}
