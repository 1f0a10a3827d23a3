namespace Realtime.Connect.Contract;

/// <summary>
/// The event API Gateway sends a Lambda proxy integration for a WebSocket route ($connect, $disconnect or a
/// message route). Which keys are present depends on the event type: MESSAGE events carry a body and no headers,
/// CONNECT events carry the handshake headers and, only when the URL had one, the query string. Absent keys are
/// null here and stay absent when written.
/// </summary>
public sealed record WebSocketProxyEvent
{
    public IDictionary<string, string>? Headers { get; init; }
    public IDictionary<string, IList<string>>? MultiValueHeaders { get; init; }
    public IDictionary<string, string>? QueryStringParameters { get; init; }
    public IDictionary<string, IList<string>>? MultiValueQueryStringParameters { get; init; }
    public IDictionary<string, string>? StageVariables { get; init; }
    public WebSocketRequestContext RequestContext { get; init; } = new();
    public string? Body { get; init; }
    public bool IsBase64Encoded { get; init; }
}
