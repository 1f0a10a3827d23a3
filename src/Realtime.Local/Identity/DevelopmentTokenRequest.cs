namespace Realtime.Local.Identity;

/// <summary>
/// Who a development token is for: <c>{"sub":"alice","username":"alice","groups":["admins"],"expiresIn":3600}</c>.
/// Only <see cref="Sub"/> is required; <see cref="Username"/> defaults to it.
/// </summary>
public sealed record DevelopmentTokenRequest
{
    public string? Sub { get; init; }
    public string? Username { get; init; }
    public IReadOnlyList<string>? Groups { get; init; }

    /// <summary>Seconds; the configured default lifetime when absent.</summary>
    public int? ExpiresIn { get; init; }
}

/// <summary>A minted token: <c>{"token":"...","expiresIn":3600}</c>.</summary>
public sealed record DevelopmentTokenResponse(string Token, int ExpiresIn);

/// <summary>Why a token request was refused: <c>{"error":"invalid_request","message":"..."}</c>.</summary>
public sealed record DevelopmentTokenError(string Error, string Message)
{
    public static DevelopmentTokenError InvalidRequest(string message) => new("invalid_request", message);
}
