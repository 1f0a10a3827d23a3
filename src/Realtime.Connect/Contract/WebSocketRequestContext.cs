using System.Text.Json.Serialization;

namespace Realtime.Connect.Contract;

/// <summary>The <c>requestContext</c> of a WebSocket proxy event or of a REQUEST authorizer event.</summary>
public sealed record WebSocketRequestContext
{
    /// <summary>The selected route key (<c>$connect</c>, <c>$default</c>, a custom key), not the raw expression value.</summary>
    public string? RouteKey { get; init; }

    /// <summary><see cref="WebSocketEventType"/>: CONNECT, MESSAGE or DISCONNECT.</summary>
    public string? EventType { get; init; }

    public string? ConnectionId { get; init; }

    /// <summary>Epoch milliseconds; the same on every event of a connection.</summary>
    public long ConnectedAt { get; init; }

    public long RequestTimeEpoch { get; init; }

    /// <summary>Common Log Format in UTC, e.g. <c>20/Jan/2024:11:54:57 +0000</c>.</summary>
    public string? RequestTime { get; init; }

    public string? RequestId { get; init; }
    public string? ExtendedRequestId { get; init; }

    /// <summary>Only on MESSAGE events.</summary>
    public string? MessageId { get; init; }

    public string? MessageDirection { get; init; }
    public string? Stage { get; init; }
    public string? DomainName { get; init; }
    public string? ApiId { get; init; }
    public RequestIdentity? Identity { get; init; }

    /// <summary>The authorizer's principal and context, replayed on every event after $connect. 2019-era events had <c>""</c>.</summary>
    [JsonConverter(typeof(AuthorizerContextConverter))]
    public AuthorizerContext? Authorizer { get; init; }

    /// <summary>Only on DISCONNECT events: the WebSocket close code.</summary>
    public int? DisconnectStatusCode { get; init; }

    /// <summary>Only on DISCONNECT events: the close reason, often <c>""</c>.</summary>
    public string? DisconnectReason { get; init; }

    // Fields that 2019-era events carried as "" and current ones omit; kept so those events still parse and round-trip.
    public string? Error { get; init; }
    public string? Status { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? IntegrationLatency { get; init; }
}

public static class WebSocketEventType
{
    public const string Connect = "CONNECT";
    public const string Message = "MESSAGE";
    public const string Disconnect = "DISCONNECT";
}
