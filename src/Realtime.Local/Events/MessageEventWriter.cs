using System.Text.Encodings.Web;
using System.Text.Json;
using Realtime.Connect.Contract;
using Realtime.Local.Connections;

namespace Realtime.Local.Events;

/// <summary>
/// Writes MESSAGE events straight to UTF-8, the hot path of the gateway: the same keys and values as
/// <see cref="EventFactory.Message"/> (and API Gateway's captures), without building the event records. What is
/// fixed for a connection (its identity and replayed authorizer context) is serialized once per connection.
/// </summary>
public sealed class MessageEventWriter(string stage, string apiId, RequestClock clock)
{
    private static readonly JsonEncodedText RequestContext = JsonEncodedText.Encode("requestContext");
    private static readonly JsonEncodedText RouteKey = JsonEncodedText.Encode("routeKey");
    private static readonly JsonEncodedText MessageId = JsonEncodedText.Encode("messageId");
    private static readonly JsonEncodedText EventType = JsonEncodedText.Encode("eventType");
    private static readonly JsonEncodedText Message = JsonEncodedText.Encode(WebSocketEventType.Message);
    private static readonly JsonEncodedText ExtendedRequestId = JsonEncodedText.Encode("extendedRequestId");
    private static readonly JsonEncodedText RequestTime = JsonEncodedText.Encode("requestTime");
    private static readonly JsonEncodedText MessageDirection = JsonEncodedText.Encode("messageDirection");
    private static readonly JsonEncodedText In = JsonEncodedText.Encode("IN");
    private static readonly JsonEncodedText Stage = JsonEncodedText.Encode("stage");
    private static readonly JsonEncodedText ConnectedAt = JsonEncodedText.Encode("connectedAt");
    private static readonly JsonEncodedText RequestTimeEpoch = JsonEncodedText.Encode("requestTimeEpoch");
    private static readonly JsonEncodedText Identity = JsonEncodedText.Encode("identity");
    private static readonly JsonEncodedText RequestId = JsonEncodedText.Encode("requestId");
    private static readonly JsonEncodedText DomainName = JsonEncodedText.Encode("domainName");
    private static readonly JsonEncodedText ConnectionId = JsonEncodedText.Encode("connectionId");
    private static readonly JsonEncodedText ApiId = JsonEncodedText.Encode("apiId");
    private static readonly JsonEncodedText Authorizer = JsonEncodedText.Encode("authorizer");
    private static readonly JsonEncodedText Body = JsonEncodedText.Encode("body");
    private static readonly JsonEncodedText IsBase64Encoded = JsonEncodedText.Encode("isBase64Encoded");

    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    private readonly JsonEncodedText _stage = JsonEncodedText.Encode(stage, JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
    private readonly JsonEncodedText _apiId = JsonEncodedText.Encode(apiId, JavaScriptEncoder.UnsafeRelaxedJsonEscaping);

    /// <summary>The per-connection parts: its identity and authorizer objects as JSON, written once.</summary>
    public static ConnectionFragments Fragments(ConnectionDetails connection) => new(
        JsonSerializer.SerializeToUtf8Bytes(connection.Identity, ApiGatewayJsonContext.Default.RequestIdentity),
        connection.Authorizer is null ? null : SerializeAuthorizer(connection.Authorizer));

    private static byte[] SerializeAuthorizer(AuthorizerContext authorizer)
    {
        // The context's converter belongs to WebSocketRequestContext.Authorizer; serialize through it.
        var json = JsonSerializer.SerializeToUtf8Bytes(new WebSocketRequestContext { Authorizer = authorizer }, ApiGatewayJsonContext.Default.WebSocketRequestContext);
        using var document = JsonDocument.Parse(json);
        return System.Text.Encoding.UTF8.GetBytes(document.RootElement.GetProperty("authorizer").GetRawText());
    }

    public PooledBuffer Write(ConnectionDetails connection, ConnectionFragments fragments, string routeKey, string body, string requestId, string messageId, long requestTimeEpoch) =>
        Write(connection, fragments, routeKey, System.Text.Encoding.UTF8.GetBytes(body), requestId, messageId, requestTimeEpoch);

    /// <summary>Writes the event with the body straight from the frame's UTF-8 bytes (no string in between).</summary>
    public PooledBuffer Write(ConnectionDetails connection, ConnectionFragments fragments, string routeKey, ReadOnlySpan<byte> utf8Body, string requestId, string messageId, long requestTimeEpoch)
    {
        var buffer = new PooledBuffer(640 + utf8Body.Length + utf8Body.Length / 8);
        var writer = t_writer;
        if (writer is null)
        {
            writer = new Utf8JsonWriter(buffer, WriterOptions);
            t_writer = writer;
        }
        else
        {
            writer.Reset(buffer);
        }

        writer.WriteStartObject();
        writer.WriteStartObject(RequestContext);
        writer.WriteString(RouteKey, routeKey);
        writer.WriteString(MessageId, messageId);
        writer.WriteString(EventType, Message);
        writer.WriteString(ExtendedRequestId, requestId);
        writer.WriteString(RequestTime, clock.Format(requestTimeEpoch));
        writer.WriteString(MessageDirection, In);
        writer.WriteString(Stage, _stage);
        writer.WriteNumber(ConnectedAt, connection.ConnectedAt);
        writer.WriteNumber(RequestTimeEpoch, requestTimeEpoch);
        writer.WritePropertyName(Identity);
        writer.WriteRawValue(fragments.Identity, skipInputValidation: true);
        writer.WriteString(RequestId, requestId);
        writer.WriteString(DomainName, connection.DomainName);
        writer.WriteString(ConnectionId, connection.ConnectionId);
        writer.WriteString(ApiId, _apiId);
        if (fragments.Authorizer is { } authorizer)
        {
            writer.WritePropertyName(Authorizer);
            writer.WriteRawValue(authorizer, skipInputValidation: true);
        }
        writer.WriteEndObject();
        writer.WriteString(Body, utf8Body);
        writer.WriteBoolean(IsBase64Encoded, false);
        writer.WriteEndObject();
        writer.Flush();
        writer.Reset(Stream.Null);
        return buffer;
    }
}

/// <summary>A connection's identity and authorizer context as JSON, written once for all its MESSAGE events.</summary>
public sealed record ConnectionFragments(byte[] Identity, byte[]? Authorizer);
