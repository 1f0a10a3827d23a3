using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace Realtime.Connect.Tests.Authorization;

/// <summary>
/// Builds JWTs byte by byte, so a test can make exactly the bad token it needs (unsigned, tampered, HS256 with the
/// public key as secret) rather than what a token library is willing to produce.
/// </summary>
public static class TestTokens
{
    public const string Audience = "client-app";
    public const string Subject = "3f1c2a9e-7b1d-4c55-9e2a-0c5d9b7a1e42";

    /// <summary>A Cognito-style ID token's claims, valid from <paramref name="now"/> for an hour.</summary>
    public static JsonObject Claims(string issuer, DateTimeOffset now) => new()
    {
        ["sub"] = Subject,
        ["iss"] = issuer,
        ["aud"] = Audience,
        ["token_use"] = "id",
        ["cognito:username"] = "alice",
        ["cognito:groups"] = new JsonArray("admins", "editors"),
        ["iat"] = now.ToUnixTimeSeconds(),
        ["nbf"] = now.ToUnixTimeSeconds(),
        ["exp"] = now.AddHours(1).ToUnixTimeSeconds(),
    };

    public static string Rs256(TestKey key, JsonObject claims, string? kid = null) =>
        Signed(new JsonObject { ["alg"] = "RS256", ["typ"] = "JWT", ["kid"] = kid ?? key.Kid }, claims, key.Sign);

    public static string Unsigned(JsonObject claims, string? kid = null) =>
        Encode(new JsonObject { ["alg"] = "none", ["typ"] = "JWT", ["kid"] = kid }) + "." + Encode(claims) + ".";

    public static string Hs256(byte[] secret, JsonObject claims, string kid) =>
        Signed(new JsonObject { ["alg"] = "HS256", ["typ"] = "JWT", ["kid"] = kid }, claims, data => HMACSHA256.HashData(secret, data));

    /// <summary>Swaps the payload of a signed token for <paramref name="claims"/>, keeping header and signature.</summary>
    public static string WithPayload(string token, JsonObject claims)
    {
        var parts = token.Split('.');
        return parts[0] + "." + Encode(claims) + "." + parts[2];
    }

    private static string Signed(JsonObject header, JsonObject claims, Func<byte[], byte[]> sign)
    {
        var signingInput = Encode(header) + "." + Encode(claims);
        return signingInput + "." + Base64UrlEncoder.Encode(sign(Encoding.ASCII.GetBytes(signingInput)));
    }

    private static string Encode(JsonObject json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json.ToJsonString()));
}
