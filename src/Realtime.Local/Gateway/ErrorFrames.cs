using System.Text;

namespace Realtime.Local.Gateway;

/// <summary>
/// The text frames API Gateway sends on errors, byte for byte, spacing included:
/// <c>{"message": "Forbidden", "connectionId":"&lt;cid&gt;", "requestId":"&lt;rid&gt;"}</c>.
/// </summary>
public static class ErrorFrames
{
    public const string Forbidden = "Forbidden";
    public const string InternalServerError = "Internal server error";
    public const string EndpointRequestTimedOut = "Endpoint request timed out";

    public static byte[] Build(string message, string connectionId, string requestId) =>
        Encoding.UTF8.GetBytes($"{{\"message\": \"{message}\", \"connectionId\":\"{connectionId}\", \"requestId\":\"{requestId}\"}}");
}
