using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using Realtime.Connect.Management;
using Realtime.Connect.Management.Internal;
using Realtime.Testing;
using Realtime.Testing.Connections;

namespace Realtime.Connect.Tests.Management;

/// <summary>
/// The signing the client relies on: AWSSDK.Core's signer agrees with AWS's vectors and with the independent
/// reference, and @connections paths are signed the way API Gateway canonicalises them.
/// </summary>
public class SigningTests
{
    private static readonly BasicAWSCredentials VectorCredentials = new(SigV4Vectors.AccessKey, SigV4Vectors.SecretKey);

    [Fact]
    public void Sdk_signer_reproduces_the_published_form_post()
    {
        var request = new AWSSigningRequest
        {
            HttpMethod = HttpMethod.Post,
            RequestUri = new Uri($"https://{SigV4Vectors.Host}/"),
            Content = "Param1=value1"u8.ToArray(),
        };
        request.Headers["Content-Type"] = "application/x-www-form-urlencoded";
        request.Headers["Content-Length"] = "13";

        var result = AWSSigV4Signer.Sign(request, VectorParameters(SigV4Vectors.Service));

        Assert.Equal(
            $"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders={SigV4Vectors.FormSignedHeaders}, Signature={SigV4Vectors.FormSignature}",
            result.Headers["Authorization"]);
    }

    [Theory]
    [MemberData(nameof(SigV4Vectors.Data), MemberType = typeof(SigV4Vectors))]
    public void Sdk_signer_agrees_with_the_reference_on_the_vector_requests(SigV4Vectors.Vector vector)
    {
        var uri = new Uri($"https://{SigV4Vectors.Host}{vector.Path}{(vector.Query is null ? "" : "?" + vector.Query)}");
        var request = new AWSSigningRequest { HttpMethod = new HttpMethod(vector.Method), RequestUri = uri };
        var parameters = VectorParameters(SigV4Vectors.Service);
        if (vector.WithSessionToken) parameters.Credentials = new SessionAWSCredentials(SigV4Vectors.AccessKey, SigV4Vectors.SecretKey, SigV4Vectors.SessionToken);

        var result = AWSSigV4Signer.Sign(request, parameters);

        List<KeyValuePair<string, string>> headers =
        [
            new("host", SigV4Vectors.Host),
            new("x-amz-content-sha256", SigV4Reference.EmptyPayloadHash),
            new("x-amz-date", SigV4Vectors.AmzDate),
        ];
        if (vector.WithSessionToken) headers.Add(new("x-amz-security-token", SigV4Vectors.SessionToken));
        var input = new SigV4Reference.Input(vector.Method, uri.AbsolutePath, uri.Query, headers, SigV4Reference.EmptyPayloadHash,
            SigV4Vectors.AccessKey, SigV4Vectors.SecretKey, SigV4Vectors.Region, SigV4Vectors.Service, SigV4Vectors.AmzDate);
        var expected = SigV4Reference.Sign(input);
        Assert.Equal(expected.Authorization(input), result.Headers["Authorization"]);
    }

    /// <summary>Canonical paths printed by API Gateway itself in signature-mismatch answers (aws/aws-sdk-net#3132, agilord/aws_client#440).</summary>
    [Theory]
    [InlineData("https://abcde12345.execute-api.eu-central-1.amazonaws.com/$default", "P-S_9e-7liACH9A=", "/$default/%40connections/P-S_9e-7liACH9A%3D", "/%24default/%2540connections/P-S_9e-7liACH9A%253D")]
    [InlineData("https://wsapi-staging.example.com", "fiJTcdBJIAMCEVw=", "/%40connections/fiJTcdBJIAMCEVw%3D", "/%2540connections/fiJTcdBJIAMCEVw%253D")]
    [InlineData("https://abcde12345.execute-api.us-east-1.amazonaws.com/production/", "QtN1PebGFiACG9g=", "/production/%40connections/QtN1PebGFiACG9g%3D", "/production/%2540connections/QtN1PebGFiACG9g%253D")]
    [InlineData("https://abcde12345.execute-api.us-east-1.amazonaws.com/prod", "a+b/c_d-e~f.g=", "/prod/%40connections/a%2Bb%2Fc_d-e~f.g%3D", "/prod/%2540connections/a%252Bb%252Fc_d-e~f.g%253D")]
    public async Task Connections_path_is_sent_encoded_once_and_signed_as_API_Gateway_canonicalises_it(string endpoint, string connectionId, string wirePath, string canonicalPath)
    {
        var uri = ConnectionsUri.For(new ConnectionTarget(new Uri(endpoint), connectionId));
        var signer = new ConnectionsSigner(new ConnectionsClientOptions { Credentials = VectorCredentials, Region = "eu-central-1" });
        var payloadHash = SigV4Reference.PayloadHash("{\"type\":\"event\"}"u8);

        var headers = await signer.SignAsync(HttpMethod.Post, uri, payloadHash, SigV4Vectors.SignedAt, CancellationToken.None).DefaultTimeout();

        Assert.Equal(wirePath, uri.AbsolutePath);
        var input = new SigV4Reference.Input("POST", uri.AbsolutePath, null,
            [new("host", uri.Host), new("x-amz-content-sha256", payloadHash), new("x-amz-date", SigV4Vectors.AmzDate)],
            payloadHash, SigV4Vectors.AccessKey, SigV4Vectors.SecretKey, "eu-central-1", "execute-api", SigV4Vectors.AmzDate);
        var expected = SigV4Reference.Sign(input);
        Assert.Equal(canonicalPath, expected.CanonicalRequest.Split('\n')[1]);
        Assert.Equal(expected.Authorization(input), headers["Authorization"]);
    }

    [Fact]
    public async Task Local_endpoint_is_signed_with_the_local_credentials_and_its_port_in_the_host()
    {
        var uri = ConnectionsUri.For(new ConnectionTarget(new Uri("http://127.0.0.1:4000/local"), "Xx-x_xx=="));
        var signer = new ConnectionsSigner(new ConnectionsClientOptions());

        var headers = await signer.SignAsync(HttpMethod.Delete, uri, SigV4Reference.EmptyPayloadHash, SigV4Vectors.SignedAt, CancellationToken.None).DefaultTimeout();

        var input = new SigV4Reference.Input("DELETE", "/local/%40connections/Xx-x_xx%3D%3D", null,
            [new("host", "127.0.0.1:4000"), new("x-amz-content-sha256", SigV4Reference.EmptyPayloadHash), new("x-amz-date", SigV4Vectors.AmzDate)],
            SigV4Reference.EmptyPayloadHash, "LOCALREALTIMEKEY", "local-realtime-secret", "us-east-1", "execute-api", SigV4Vectors.AmzDate);
        Assert.Equal(SigV4Reference.Sign(input).Authorization(input), headers["Authorization"]);
    }

    [Fact]
    public async Task Session_credentials_add_a_signed_security_token()
    {
        var uri = ConnectionsUri.For(new ConnectionTarget(new Uri("https://abcde12345.execute-api.us-east-1.amazonaws.com/prod"), "QrStUvWxYzAbCdE="));
        var signer = new ConnectionsSigner(new ConnectionsClientOptions
        {
            Credentials = new SessionAWSCredentials(SigV4Vectors.AccessKey, SigV4Vectors.SecretKey, SigV4Vectors.SessionToken),
        });

        var headers = await signer.SignAsync(HttpMethod.Get, uri, SigV4Reference.EmptyPayloadHash, SigV4Vectors.SignedAt, CancellationToken.None).DefaultTimeout();

        Assert.Equal(SigV4Vectors.SessionToken, headers["X-Amz-Security-Token"]);
        var input = new SigV4Reference.Input("GET", uri.AbsolutePath, null,
            [
                new("host", uri.Host), new("x-amz-content-sha256", SigV4Reference.EmptyPayloadHash),
                new("x-amz-date", SigV4Vectors.AmzDate), new("x-amz-security-token", SigV4Vectors.SessionToken),
            ],
            SigV4Reference.EmptyPayloadHash, SigV4Vectors.AccessKey, SigV4Vectors.SecretKey, "us-east-1", "execute-api", SigV4Vectors.AmzDate);
        Assert.Equal(SigV4Reference.Sign(input).Authorization(input), headers["Authorization"]);
    }

    [Theory]
    [InlineData("abcde12345.execute-api.eu-west-2.amazonaws.com", "eu-west-2")]
    [InlineData("abcde12345.execute-api.cn-north-1.amazonaws.com.cn", "cn-north-1")]
    [InlineData("ws.example.com", null)]
    public void Region_is_read_from_an_execute_api_host(string host, string? region)
    {
        Assert.Equal(region, ConnectionsSigner.RegionOfHost(host));
    }

    [Fact]
    public void Configured_region_wins_over_the_host()
    {
        var signer = new ConnectionsSigner(new ConnectionsClientOptions { Region = "ap-south-1" });

        Assert.Equal("ap-south-1", signer.RegionFor(new Uri("https://abcde12345.execute-api.eu-west-2.amazonaws.com/prod")).SystemName);
    }

    [Fact]
    public void Custom_domain_without_a_region_is_a_configuration_error()
    {
        var signer = new ConnectionsSigner(new ConnectionsClientOptions());

        Assert.Throws<InvalidOperationException>(() => signer.RegionFor(new Uri("https://ws.example.com/v1")));
    }

    private static AWSSigV4Parameters VectorParameters(string service) => new()
    {
        Credentials = VectorCredentials,
        Region = RegionEndpoint.GetBySystemName(SigV4Vectors.Region),
        Service = service,
        SignedAt = SigV4Vectors.SignedAt.UtcDateTime,
    };
}
