using System.Collections.Concurrent;
using System.Security.Cryptography;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.Runtime.Signing;

namespace Realtime.Connect.Management.Internal;

/// <summary>
/// Signs @connections requests with SigV4 for the <c>execute-api</c> service through AWSSDK.Core's
/// <see cref="AWSSigV4Signer"/>. The signer canonicalises the path it is given exactly as sent (already encoded) by
/// encoding it once more, which is what API Gateway computes on its side (docs/connections-client.md).
/// </summary>
internal sealed class ConnectionsSigner
{
    public const string Service = "execute-api";
    public const string LocalRegion = "us-east-1";

    private static readonly RegionEndpoint LocalRegionEndpoint = RegionEndpoint.GetBySystemName(LocalRegion);

    private readonly AWSCredentials? _credentials;
    private readonly RegionEndpoint? _region;
    private readonly Lazy<AWSCredentials> _chain;
    private readonly ConcurrentDictionary<string, RegionEndpoint> _regionsByHost = new(StringComparer.OrdinalIgnoreCase);

    public ConnectionsSigner(ConnectionsClientOptions options)
    {
        _credentials = options.Credentials;
        _region = options.Region is { Length: > 0 } region ? RegionEndpoint.GetBySystemName(region) : null;
        // Resolved on the first https call only: a process that talks to the local host never needs AWS credentials.
        // PublicationOnly so that a failed lookup is tried again rather than remembered.
        _chain = new Lazy<AWSCredentials>(static () => DefaultAWSCredentialsIdentityResolver.GetCredentials(null), LazyThreadSafetyMode.PublicationOnly);
    }

    /// <summary>The hex SHA-256 of a body, as <c>x-amz-content-sha256</c> carries it.</summary>
    public static string PayloadHash(ReadOnlySpan<byte> body) =>
        body.IsEmpty ? EmptyPayloadHash : Convert.ToHexStringLower(SHA256.HashData(body));

    public const string EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    public static bool IsLocal(Uri uri) => uri.Scheme == Uri.UriSchemeHttp;

    public AWSCredentials CredentialsFor(Uri uri) =>
        _credentials ?? (IsLocal(uri) ? ConnectionsClientOptions.LocalCredentials : ResolveChain());

    public RegionEndpoint RegionFor(Uri uri)
    {
        if (_region is not null) return _region;
        if (IsLocal(uri)) return LocalRegionEndpoint;
        return _regionsByHost.GetOrAdd(uri.Host, static host => RegionEndpoint.GetBySystemName(RegionOfHost(host)
            ?? throw new InvalidOperationException($"Cannot tell the signing region of '{host}': set AWS_REGION.")));
    }

    /// <summary>The region in an <c>{api}.execute-api.{region}.amazonaws.com</c> host, or null for any other host.</summary>
    public static string? RegionOfHost(string host)
    {
        var parts = host.Split('.');
        return parts.Length >= 5 && parts[1] == "execute-api" && parts[3] == "amazonaws" ? parts[2] : null;
    }

    /// <summary>
    /// The headers to add for one attempt: Authorization, X-Amz-Date, X-Amz-Content-SHA256 and, with session
    /// credentials, X-Amz-Security-Token. Called per attempt, so every retry carries a fresh timestamp.
    /// </summary>
    public async ValueTask<IDictionary<string, string>> SignAsync(HttpMethod method, Uri uri, string payloadHash, DateTimeOffset signedAt, CancellationToken cancellationToken)
    {
        var request = new AWSSigningRequest { HttpMethod = method, RequestUri = uri };
        // The body is hashed once per call, not per attempt; the signer uses a supplied hash as is.
        request.Headers["x-amz-content-sha256"] = payloadHash;
        var parameters = new AWSSigV4Parameters
        {
            Credentials = CredentialsFor(uri),
            Region = RegionFor(uri),
            Service = Service,
            SignedAt = signedAt.UtcDateTime,
        };
        // Fixed credentials resolve without I/O: sign synchronously and save the async machinery per request.
        // Refreshing ones (a role, SSO) may have to fetch new credentials first.
        var result = parameters.Credentials is RefreshingAWSCredentials
            ? await AWSSigV4Signer.SignAsync(request, parameters, cancellationToken).ConfigureAwait(false)
            : AWSSigV4Signer.Sign(request, parameters);
        return result.Headers;
    }

    private AWSCredentials ResolveChain()
    {
        try
        {
            return _chain.Value;
        }
        catch (AmazonClientException ex)
        {
            throw new InvalidOperationException("No AWS credentials found to sign @connections calls (environment, profile, web identity, container or instance metadata).", ex);
        }
    }
}
