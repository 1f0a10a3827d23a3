using System.Text;
using System.Text.Json;
using Realtime.Connect.Contract;

namespace Realtime.Testing.Functions;

/// <summary>Events shaped as API Gateway sends them (see the contract's captured samples), for invoking functions.</summary>
public static class ProxyEvents
{
    public const string DomainName = "abcde12345.execute-api.us-east-1.amazonaws.com";
    public const string Stage = "prod";
    /// <summary>Now, when the test process started: events are fresh, so registries do not treat them as expired.</summary>
    public static long ConnectedAt { get; } = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public static WebSocketProxyEvent Connect(string connectionId, string? principalId = null, IDictionary<string, string>? headers = null) => new()
    {
        Headers = headers ?? new Dictionary<string, string> { ["Host"] = DomainName },
        RequestContext = Context(connectionId, "$connect", WebSocketEventType.Connect, principalId),
    };

    public static WebSocketProxyEvent Message(string connectionId, string body, string? principalId = null, string routeKey = "$default") => new()
    {
        Body = body,
        RequestContext = Context(connectionId, routeKey, WebSocketEventType.Message, principalId) with { MessageId = "MsGiDaBcDeFgHiJ=" },
    };

    public static WebSocketProxyEvent Disconnect(string connectionId, int closeCode = 1001, string closeReason = "", string? principalId = null) => new()
    {
        Headers = new Dictionary<string, string> { ["Host"] = DomainName, ["x-api-key"] = "", ["X-Forwarded-For"] = "", ["x-restapi"] = "" },
        RequestContext = Context(connectionId, "$disconnect", WebSocketEventType.Disconnect, principalId) with
        {
            DisconnectStatusCode = closeCode,
            DisconnectReason = closeReason,
        },
    };

    public static Stream ToStream(WebSocketProxyEvent proxyEvent) =>
        new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(proxyEvent, ApiGatewayJsonContext.Default.WebSocketProxyEvent));

    public static Stream ToStream(string json) => new MemoryStream(Encoding.UTF8.GetBytes(json));

    /// <summary>Invokes a <c>Stream → Stream</c> entry point and reads its proxy response.</summary>
    public static async Task<ProxyResponse> InvokeAsync(Func<Stream, Task<Stream>> handler, WebSocketProxyEvent proxyEvent) =>
        await ReadResponseAsync(await handler(ToStream(proxyEvent)).DefaultTimeout());

    public static async Task<ProxyResponse> InvokeAsync(Func<Stream, Task<Stream>> handler, string rawEvent) =>
        await ReadResponseAsync(await handler(ToStream(rawEvent)).DefaultTimeout());

    private static async Task<ProxyResponse> ReadResponseAsync(Stream output) =>
        (await JsonSerializer.DeserializeAsync(output, ApiGatewayJsonContext.Default.ProxyResponse).AsTask().DefaultTimeout())!;

    private static WebSocketRequestContext Context(string connectionId, string routeKey, string eventType, string? principalId) => new()
    {
        RouteKey = routeKey,
        EventType = eventType,
        ConnectionId = connectionId,
        ConnectedAt = ConnectedAt,
        RequestTimeEpoch = ConnectedAt + 1,
        RequestTime = DateTimeOffset.FromUnixTimeMilliseconds(ConnectedAt).ToString("dd/MMM/yyyy:HH:mm:ss +0000", System.Globalization.CultureInfo.InvariantCulture),
        RequestId = "AbCdEfGhIjKlMnO=",
        ExtendedRequestId = "AbCdEfGhIjKlMnO=",
        MessageDirection = "IN",
        Stage = Stage,
        DomainName = DomainName,
        ApiId = "abcde12345",
        Identity = new RequestIdentity { SourceIp = "203.0.113.10", UserAgent = "test-client" },
        Authorizer = principalId is null ? null : new AuthorizerContext { PrincipalId = principalId },
    };
}
