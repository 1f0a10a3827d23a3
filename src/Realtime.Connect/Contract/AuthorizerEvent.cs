namespace Realtime.Connect.Contract;

/// <summary>
/// The input of a REQUEST authorizer on $connect. Unlike the $connect proxy event, its headers include
/// <c>Connection</c>, <c>Upgrade</c> and <c>content-length</c>; <c>methodArn</c> ends in <c>/{stage}/$connect</c>.
/// </summary>
public sealed record AuthorizerEvent
{
    public string Type { get; init; } = "REQUEST";
    public string? MethodArn { get; init; }
    public IDictionary<string, string>? Headers { get; init; }
    public IDictionary<string, IList<string>>? MultiValueHeaders { get; init; }
    public IDictionary<string, string>? QueryStringParameters { get; init; }
    public IDictionary<string, IList<string>>? MultiValueQueryStringParameters { get; init; }
    public IDictionary<string, string>? StageVariables { get; init; }
    public WebSocketRequestContext RequestContext { get; init; } = new();
}
