using System.Security.Cryptography;

namespace Realtime.Local.Connections;

/// <summary>
/// Ids in API Gateway's shape: 16 characters of URL-safe base64 ending in <c>=</c> (11 random bytes), e.g.
/// <c>R0oXAdfD0kwCH6w=</c>. Handlers must URL-encode them in @connections paths, as they must on AWS.
/// </summary>
public static class ApiGatewayIds
{
    /// <summary>A connection id, from a cryptographic source (ids are the only credential @connections asks for).</summary>
    public static string NewConnectionId()
    {
        Span<byte> bytes = stackalloc byte[11];
        RandomNumberGenerator.Fill(bytes);
        return Encode(bytes);
    }

    /// <summary>A request or message id.</summary>
    public static string NewRequestId()
    {
        Span<byte> bytes = stackalloc byte[11];
        Random.Shared.NextBytes(bytes);
        return Encode(bytes);
    }

    /// <summary>A 10-character lowercase API id, like <c>abcde12345</c>.</summary>
    public static string NewApiId()
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        return string.Create(10, 0, static (chars, _) =>
        {
            for (var i = 0; i < chars.Length; i++) chars[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        });
    }

    private static string Encode(ReadOnlySpan<byte> bytes)
    {
        Span<char> chars = stackalloc char[16];
        Convert.TryToBase64Chars(bytes, chars, out _);
        for (var i = 0; i < chars.Length; i++)
        {
            if (chars[i] == '+') chars[i] = '-';
            else if (chars[i] == '/') chars[i] = '_';
        }
        return new string(chars);
    }
}
