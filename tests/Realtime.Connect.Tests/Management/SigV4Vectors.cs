namespace Realtime.Connect.Tests.Management;

/// <summary>
/// Requests and signatures from AWS's public SigV4 test suite (as kept in awslabs/aws-c-auth,
/// tests/aws-signing-test-suite/v4/{name}/header-signed-request.txt): credentials AKIDEXAMPLE, region us-east-1,
/// service "service", 2015-08-30T12:36:00Z, host example.amazonaws.com, signed headers host;x-amz-date.
/// </summary>
public static class SigV4Vectors
{
    public const string AccessKey = "AKIDEXAMPLE";
    public const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    public const string Region = "us-east-1";
    public const string Service = "service";
    public const string AmzDate = "20150830T123600Z";
    public const string Host = "example.amazonaws.com";
    public static readonly DateTimeOffset SignedAt = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);

    /// <summary>get-vanilla-with-session-token's token.</summary>
    public const string SessionToken = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267";

    public sealed record Vector(string Name, string Method, string Path, string? Query, string Signature, bool WithSessionToken = false)
    {
        public override string ToString() => Name;
    }

    public static readonly Vector[] All =
    [
        new("get-vanilla", "GET", "/", null, "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        new("get-vanilla-query-order-key-case", "GET", "/", "Param2=value2&Param1=value1", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"),
        new("get-vanilla-query-unreserved", "GET", "/",
            "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
            "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197"),
        new("get-unreserved", "GET", "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", null, "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"),
        new("get-utf8", "GET", "/\u1234", null, "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"),
        new("get-space-unnormalized", "GET", "/example space/", null, "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741"),
        new("post-vanilla", "POST", "/", null, "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"),
        new("get-vanilla-with-session-token", "GET", "/", null, "07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8", WithSessionToken: true),
    ];

    public static TheoryData<Vector> Data()
    {
        var data = new TheoryData<Vector>();
        foreach (var vector in All) data.Add(vector);
        return data;
    }

    /// <summary>get-vanilla's canonical request and string to sign, as published.</summary>
    public const string GetVanillaCanonicalRequest =
        "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    public const string GetVanillaStringToSign =
        "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63";

    /// <summary>post-x-www-form-urlencoded: a body, and x-amz-content-sha256 among the signed headers (as the SDK signs).</summary>
    public const string FormBody = "Param1=value1";
    public const string FormBodyHash = "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e";
    public const string FormSignedHeaders = "content-length;content-type;host;x-amz-content-sha256;x-amz-date";
    public const string FormSignature = "d3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b";
}
