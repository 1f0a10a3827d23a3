using Realtime.Testing.Connections;

namespace Realtime.Connect.Tests.Management;

/// <summary>The independent signer the other signing tests rely on reproduces AWS's published vectors.</summary>
public class SigV4ReferenceTests
{
    [Theory]
    [MemberData(nameof(SigV4Vectors.Data), MemberType = typeof(SigV4Vectors))]
    public void Reproduces_the_published_signature(SigV4Vectors.Vector vector)
    {
        var output = SigV4Reference.Sign(VectorInput(vector));

        Assert.Equal(vector.Signature, output.Signature);
    }

    [Fact]
    public void Reproduces_get_vanilla_canonical_request_and_string_to_sign()
    {
        var output = SigV4Reference.Sign(VectorInput(SigV4Vectors.All[0]));

        Assert.Equal(SigV4Vectors.GetVanillaCanonicalRequest, output.CanonicalRequest);
        Assert.Equal(SigV4Vectors.GetVanillaStringToSign, output.StringToSign);
    }

    [Fact]
    public void Reproduces_the_form_post_with_a_signed_payload_hash()
    {
        var input = new SigV4Reference.Input("POST", "/", null,
            [
                new("Content-Type", "application/x-www-form-urlencoded"),
                new("Host", SigV4Vectors.Host),
                new("Content-Length", "13"),
                new("x-amz-content-sha256", SigV4Vectors.FormBodyHash),
                new("X-Amz-Date", SigV4Vectors.AmzDate),
            ],
            SigV4Reference.PayloadHash("Param1=value1"u8),
            SigV4Vectors.AccessKey, SigV4Vectors.SecretKey, SigV4Vectors.Region, SigV4Vectors.Service, SigV4Vectors.AmzDate);

        var output = SigV4Reference.Sign(input);

        Assert.Equal(SigV4Vectors.FormSignedHeaders, output.SignedHeaders);
        Assert.Equal(SigV4Vectors.FormSignature, output.Signature);
    }

    [Fact]
    public void Encodes_a_wire_path_once_more_segment_by_segment()
    {
        Assert.Equal("/prod/%2540connections/abc%253D", SigV4Reference.CanonicalPath("/prod/%40connections/abc%3D"));
    }

    [Fact]
    public void Parses_a_well_formed_authorization_header()
    {
        var parsed = SigV4Reference.Authorization.Parse(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");

        Assert.NotNull(parsed);
        Assert.Equal(("AKIDEXAMPLE", "20150830", "us-east-1", "execute-api"), (parsed.AccessKey, parsed.Date, parsed.Region, parsed.Service));
        Assert.Equal(["host", "x-amz-date"], parsed.SignedHeaders);
    }

    [Theory]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/execute-api/aws4_request, SignedHeaders=host, Signature=abc")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/us-east-1/execute-api/aws4_request, SignedHeaders=host, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")]
    [InlineData("Bearer token")]
    public void Rejects_a_malformed_authorization_header(string header)
    {
        Assert.Null(SigV4Reference.Authorization.Parse(header));
    }

    internal static SigV4Reference.Input VectorInput(SigV4Vectors.Vector vector)
    {
        List<KeyValuePair<string, string>> headers = [new("Host", SigV4Vectors.Host), new("X-Amz-Date", SigV4Vectors.AmzDate)];
        if (vector.WithSessionToken) headers.Add(new("X-Amz-Security-Token", SigV4Vectors.SessionToken));
        return new SigV4Reference.Input(vector.Method, vector.Path, vector.Query, headers, SigV4Reference.EmptyPayloadHash,
            SigV4Vectors.AccessKey, SigV4Vectors.SecretKey, SigV4Vectors.Region, SigV4Vectors.Service, SigV4Vectors.AmzDate);
    }
}
