using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Realtime.Testing.Connections;

/// <summary>
/// A plain, independent AWS Signature Version 4 (header signing) written from the specification, to check the
/// signatures the code under test produces. It canonicalises the path as sent on the wire, each segment URI-encoded
/// once more (every service but S3), which is what API Gateway does. Checked against AWS's published vectors.
/// </summary>
public static partial class SigV4Reference
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public const string EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// <summary>What to sign. <paramref name="Headers"/> are the headers to sign, as sent (host included).</summary>
    public sealed record Input(
        string Method,
        string WirePath,
        string? WireQuery,
        IReadOnlyList<KeyValuePair<string, string>> Headers,
        string PayloadHash,
        string AccessKey,
        string SecretKey,
        string Region,
        string Service,
        string AmzDate);

    public sealed record Output(string CanonicalRequest, string StringToSign, string SignedHeaders, string Signature)
    {
        public string Authorization(Input input) =>
            $"{Algorithm} Credential={input.AccessKey}/{input.AmzDate[..8]}/{input.Region}/{input.Service}/aws4_request, SignedHeaders={SignedHeaders}, Signature={Signature}";
    }

    public static Output Sign(Input input)
    {
        var canonicalHeaders = input.Headers
            .GroupBy(h => h.Key.ToLowerInvariant(), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (Name: g.Key, Value: string.Join(',', g.Select(h => CollapseSpaces(h.Value.Trim())))))
            .ToList();
        var signedHeaders = string.Join(';', canonicalHeaders.Select(h => h.Name));
        var canonicalRequest = string.Join('\n',
            input.Method,
            CanonicalPath(input.WirePath),
            CanonicalQuery(input.WireQuery),
            string.Concat(canonicalHeaders.Select(h => $"{h.Name}:{h.Value}\n")),
            signedHeaders,
            input.PayloadHash);
        var date = input.AmzDate[..8];
        var scope = $"{date}/{input.Region}/{input.Service}/aws4_request";
        var stringToSign = string.Join('\n', Algorithm, input.AmzDate, scope, Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest))));

        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + input.SecretKey), date);
        key = Hmac(key, input.Region);
        key = Hmac(key, input.Service);
        key = Hmac(key, "aws4_request");
        return new Output(canonicalRequest, stringToSign, signedHeaders, Hex(Hmac(key, stringToSign)));
    }

    /// <summary>Each segment of the path as sent, URI-encoded (RFC 3986 unreserved characters kept).</summary>
    public static string CanonicalPath(string wirePath) =>
        wirePath.Length == 0 ? "/" : string.Join('/', wirePath.Split('/').Select(Encode));

    /// <summary>Parameters decoded, re-encoded, sorted by name then value.</summary>
    public static string CanonicalQuery(string? wireQuery)
    {
        if (string.IsNullOrEmpty(wireQuery)) return "";
        return string.Join('&', wireQuery.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair =>
            {
                var eq = pair.IndexOf('=');
                var name = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
                var value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..]);
                return (Name: Encode(name), Value: Encode(value));
            })
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => $"{p.Name}={p.Value}"));
    }

    public static string Encode(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '.' or '_' or '~') builder.Append(c);
            else builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return builder.ToString();
    }

    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    public static string PayloadHash(ReadOnlySpan<byte> body) => Hex(SHA256.HashData(body));

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string CollapseSpaces(string value) => SpaceRun().Replace(value, " ");

    [GeneratedRegex(" {2,}")]
    private static partial Regex SpaceRun();

    /// <summary>The parts of an <c>Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...</c> header.</summary>
    public sealed record Authorization(string AccessKey, string Date, string Region, string Service, IReadOnlyList<string> SignedHeaders, string Signature)
    {
        public static Authorization? Parse(string? header)
        {
            if (header is null) return null;
            var match = AuthorizationPattern().Match(header);
            if (!match.Success) return null;
            return new Authorization(
                match.Groups["key"].Value,
                match.Groups["date"].Value,
                match.Groups["region"].Value,
                match.Groups["service"].Value,
                match.Groups["headers"].Value.Split(';'),
                match.Groups["signature"].Value);
        }
    }

    [GeneratedRegex(@"^AWS4-HMAC-SHA256 Credential=(?<key>[^/\s]+)/(?<date>\d{8})/(?<region>[a-z0-9-]+)/(?<service>[a-z0-9-]+)/aws4_request, SignedHeaders=(?<headers>[a-z0-9-]+(;[a-z0-9-]+)*), Signature=(?<signature>[0-9a-f]{64})$")]
    private static partial Regex AuthorizationPattern();
}
