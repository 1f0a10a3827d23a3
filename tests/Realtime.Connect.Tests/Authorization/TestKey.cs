using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace Realtime.Connect.Tests.Authorization;

/// <summary>An RSA signing key generated for the test run, with its <c>kid</c> and its public JWK.</summary>
public sealed class TestKey
{
    // Generating 2048-bit keys is slow; a few shared ones serve every test.
    public static TestKey A { get; } = new("key-a");
    public static TestKey B { get; } = new("key-b");
    public static TestKey C { get; } = new("key-c");

    public TestKey(string kid)
    {
        Kid = kid;
        Rsa = RSA.Create(2048);
    }

    public string Kid { get; }
    public RSA Rsa { get; }

    public JsonObject PublicJwk(string? kid = null)
    {
        var parameters = Rsa.ExportParameters(includePrivateParameters: false);
        return new JsonObject
        {
            ["kty"] = "RSA",
            ["kid"] = kid ?? Kid,
            ["use"] = "sig",
            ["alg"] = "RS256",
            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
            ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
        };
    }

    public byte[] Sign(byte[] data) => Rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
}
