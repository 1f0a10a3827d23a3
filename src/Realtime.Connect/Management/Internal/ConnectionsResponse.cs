using System.Net.Http.Headers;

namespace Realtime.Connect.Management.Internal;

/// <summary>Maps @connections answers to <see cref="ConnectionsStatus"/> and says which are worth another attempt.</summary>
internal static class ConnectionsResponse
{
    public const string ErrorTypeHeader = "x-amzn-ErrorType";

    public static ConnectionsStatus StatusOf(int httpStatusCode) => httpStatusCode switch
    {
        >= 200 and < 300 => ConnectionsStatus.Ok,
        410 => ConnectionsStatus.Gone,
        403 => ConnectionsStatus.Forbidden,
        413 => ConnectionsStatus.PayloadTooLarge,
        429 => ConnectionsStatus.Throttled,
        >= 500 => ConnectionsStatus.ServerError,
        _ => ConnectionsStatus.Rejected,
    };

    /// <summary>Only what can succeed when tried again; a gone connection, a refusal or an oversized payload cannot.</summary>
    public static bool IsRetryable(ConnectionsStatus status) => status
        is ConnectionsStatus.Throttled
        or ConnectionsStatus.ServerError
        or ConnectionsStatus.TimedOut
        or ConnectionsStatus.TransportError;

    /// <summary>The error code of <c>x-amzn-ErrorType</c> (<c>GoneException</c>), without what SDKs split off at ':'.</summary>
    public static string? ErrorTypeOf(HttpResponseHeaders headers)
    {
        if (!headers.NonValidated.TryGetValues(ErrorTypeHeader, out var values)) return null;
        foreach (var value in values)
        {
            var colon = value.IndexOf(':');
            var code = (colon >= 0 ? value[..colon] : value).Trim();
            return code.Length == 0 ? null : code;
        }
        return null;
    }
}
