using Microsoft.Extensions.Logging;

namespace Realtime.Connect.Authorization.Internal;

/// <summary>The authorizer's log events. Tokens are never logged, only why they were refused.</summary>
internal static partial class AuthorizerLog
{
    [LoggerMessage(EventId = 1, EventName = "TokenAccepted", Level = LogLevel.Information,
        Message = "Connection {ConnectionId} allowed for principal {PrincipalId} (token from {Source}).")]
    public static partial void TokenAccepted(ILogger logger, string? connectionId, string principalId, string source);

    [LoggerMessage(EventId = 2, EventName = "TokenDenied", Level = LogLevel.Warning,
        Message = "Connection {ConnectionId} denied: {Reason} ({Detail}); token from {Source}.")]
    public static partial void TokenDenied(ILogger logger, string? connectionId, DenyReason reason, string detail, string source);

    [LoggerMessage(EventId = 3, EventName = "AnonymousAllowed", Level = LogLevel.Information,
        Message = "Connection {ConnectionId} allowed anonymously: no token presented.")]
    public static partial void AnonymousAllowed(ILogger logger, string? connectionId);

    [LoggerMessage(EventId = 4, EventName = "TokenMissing", Level = LogLevel.Information,
        Message = "Connection {ConnectionId} unauthorized: no token presented and anonymous connections are off.")]
    public static partial void TokenMissing(ILogger logger, string? connectionId);

    [LoggerMessage(EventId = 5, EventName = "KeysUnavailable", Level = LogLevel.Error,
        Message = "Connection {ConnectionId} failed: the signing keys are unavailable.")]
    public static partial void KeysUnavailable(ILogger logger, string? connectionId, Exception exception);
}

/// <summary>The JWKS cache's log events.</summary>
internal static partial class JwksLog
{
    [LoggerMessage(EventId = 11, EventName = "KeysFetched", Level = LogLevel.Information,
        Message = "Fetched {KeyCount} signing keys from {Address} ({Skipped} skipped as unusable for RS256).")]
    public static partial void KeysFetched(ILogger logger, Uri address, int keyCount, int skipped);

    [LoggerMessage(EventId = 12, EventName = "FetchFailed", Level = LogLevel.Warning,
        Message = "Fetching signing keys from {Address} failed.")]
    public static partial void FetchFailed(ILogger logger, Uri address, Exception exception);
}
