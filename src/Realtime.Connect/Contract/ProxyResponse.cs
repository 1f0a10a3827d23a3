namespace Realtime.Connect.Contract;

/// <summary>
/// What a proxy-integrated function returns. For $connect, a non-2xx status fails the handshake with that status and
/// <see cref="Headers"/> are copied into the 101 (this is how one <c>Sec-WebSocket-Protocol</c> is chosen). For a
/// two-way message route only <see cref="Body"/> reaches the client; for one-way routes the result is ignored.
/// </summary>
public sealed record ProxyResponse
{
    public int StatusCode { get; init; }
    public IDictionary<string, string>? Headers { get; init; }
    public IDictionary<string, IList<string>>? MultiValueHeaders { get; init; }
    public string? Body { get; init; }
    public bool? IsBase64Encoded { get; init; }

    public static ProxyResponse Status(int statusCode, string? body = null) => new() { StatusCode = statusCode, Body = body };
}
