using Realtime.Connect.Contract;

namespace Realtime.Connect.Authorization.Internal;

/// <summary>
/// Finds the token of a $connect handshake: the <c>token</c> query-string parameter first (browsers cannot set headers
/// on a WebSocket), else the <c>Authorization</c> header (any case) as <c>Bearer {token}</c> or a bare token.
/// </summary>
internal static class BearerToken
{
    public const string QueryParameter = "token";
    private const string HeaderName = "Authorization";
    private const string Scheme = "Bearer";

    public static string? Find(AuthorizerEvent authorizerEvent, out string source)
    {
        source = "query";
        if (NonEmpty(QueryValue(authorizerEvent)) is { } fromQuery) return fromQuery;

        source = "header";
        return HeaderValue(authorizerEvent) is { } header ? FromAuthorizationHeader(header) : null;
    }

    private static string? QueryValue(AuthorizerEvent authorizerEvent)
    {
        if (authorizerEvent.QueryStringParameters?.TryGetValue(QueryParameter, out var value) == true) return value;
        return authorizerEvent.MultiValueQueryStringParameters?.TryGetValue(QueryParameter, out var values) == true && values.Count > 0
            ? values[^1] // API Gateway keeps the last value of a repeated parameter in the single-value map
            : null;
    }

    private static string? HeaderValue(AuthorizerEvent authorizerEvent)
    {
        if (authorizerEvent.Headers is { } headers)
        {
            foreach (var (name, value) in headers)
            {
                if (string.Equals(name, HeaderName, StringComparison.OrdinalIgnoreCase)) return value;
            }
        }
        if (authorizerEvent.MultiValueHeaders is { } multiValueHeaders)
        {
            foreach (var (name, values) in multiValueHeaders)
            {
                if (string.Equals(name, HeaderName, StringComparison.OrdinalIgnoreCase) && values.Count > 0) return values[^1];
            }
        }
        return null;
    }

    private static string? FromAuthorizationHeader(string header)
    {
        var value = header.Trim();
        var space = value.IndexOf(' ');
        if (space < 0)
        {
            // A bare token, as Cognito-style clients send it; "Bearer" alone carries none.
            return value.Equals(Scheme, StringComparison.OrdinalIgnoreCase) ? null : NonEmpty(value);
        }

        // Another scheme (Basic, AWS4-HMAC-SHA256, ...) carries no bearer token.
        return value.AsSpan(0, space).Equals(Scheme, StringComparison.OrdinalIgnoreCase) ? NonEmpty(value[(space + 1)..].Trim()) : null;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
