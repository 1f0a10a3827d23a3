using Microsoft.Extensions.Primitives;
using Realtime.Connect.Contract;
using Realtime.Local.Connections;
using Realtime.Local.Gateway;
using Realtime.Local.Routing;

namespace Realtime.Local.Events;

/// <summary>
/// Builds the events API Gateway sends, with exactly the keys each event type carries: CONNECT has the handshake
/// headers (client case, minus Connection and Upgrade, plus X-Amzn-Trace-Id and X-Forwarded-*) and a query string
/// only when the URL had one; MESSAGE has a body and a messageId and no headers; DISCONNECT has the fixed header set
/// and the close code and reason. The authorizer's REQUEST event keeps Connection, Upgrade and content-length.
/// </summary>
public sealed class EventFactory(string stage, string apiId, string region, string accountId, RequestClock clock)
{
    private const string In = "IN";

    public string Stage => stage;
    public string ApiId => apiId;

    /// <summary>The ARN the authorizer's policy must allow: <c>arn:aws:execute-api:{region}:{account}:{api}/{stage}/$connect</c>.</summary>
    public string ConnectMethodArn => $"arn:aws:execute-api:{region}:{accountId}:{apiId}/{stage}/$connect";

    public static RequestIdentity Identity(HandshakeRequest request) => new() { SourceIp = request.SourceIp, UserAgent = request.UserAgent };

    public WebSocketProxyEvent Connect(HandshakeRequest request, ConnectionDetails connection, string requestId, long requestTimeEpoch, string traceId, AuthorizerContext? authorizer)
    {
        var (headers, multiValueHeaders) = Headers(request, traceId, keepUpgrade: false);
        var (query, multiValueQuery) = Query(request);
        return new WebSocketProxyEvent
        {
            Headers = headers,
            MultiValueHeaders = multiValueHeaders,
            QueryStringParameters = query,
            MultiValueQueryStringParameters = multiValueQuery,
            RequestContext = Context(connection, RouteTable.ConnectKey, WebSocketEventType.Connect, requestId, requestTimeEpoch) with { Authorizer = authorizer },
            IsBase64Encoded = false,
        };
    }

    public AuthorizerEvent Authorizer(HandshakeRequest request, ConnectionDetails connection, string requestId, long requestTimeEpoch, string traceId)
    {
        var (headers, multiValueHeaders) = Headers(request, traceId, keepUpgrade: true);
        var (query, multiValueQuery) = Query(request);
        return new AuthorizerEvent
        {
            Type = "REQUEST",
            MethodArn = ConnectMethodArn,
            Headers = headers,
            MultiValueHeaders = multiValueHeaders,
            QueryStringParameters = query ?? new Dictionary<string, string>(),
            MultiValueQueryStringParameters = multiValueQuery ?? new Dictionary<string, IList<string>>(),
            StageVariables = new Dictionary<string, string>(),
            RequestContext = Context(connection, RouteTable.ConnectKey, WebSocketEventType.Connect, requestId, requestTimeEpoch),
        };
    }

    public WebSocketProxyEvent Message(ConnectionDetails connection, string routeKey, string body, string requestId, string messageId, long requestTimeEpoch) => new()
    {
        RequestContext = Context(connection, routeKey, WebSocketEventType.Message, requestId, requestTimeEpoch) with
        {
            MessageId = messageId,
            Authorizer = connection.Authorizer,
        },
        Body = body,
        IsBase64Encoded = false,
    };

    public WebSocketProxyEvent Disconnect(ConnectionDetails connection, CloseStatus status, string requestId, long requestTimeEpoch)
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Host"] = connection.DomainName,
            ["x-api-key"] = "",
            ["X-Forwarded-For"] = "",
            ["x-restapi"] = "",
        };
        return new WebSocketProxyEvent
        {
            Headers = headers,
            MultiValueHeaders = headers.ToDictionary(h => h.Key, IList<string> (h) => [h.Value], StringComparer.Ordinal),
            RequestContext = Context(connection, RouteTable.DisconnectKey, WebSocketEventType.Disconnect, requestId, requestTimeEpoch) with
            {
                DisconnectStatusCode = status.Code,
                DisconnectReason = status.Reason,
                Authorizer = connection.Authorizer,
            },
            IsBase64Encoded = false,
        };
    }

    private WebSocketRequestContext Context(ConnectionDetails connection, string routeKey, string eventType, string requestId, long requestTimeEpoch) => new()
    {
        RouteKey = routeKey,
        EventType = eventType,
        ExtendedRequestId = requestId,
        RequestTime = clock.Format(requestTimeEpoch),
        MessageDirection = In,
        Stage = stage,
        ConnectedAt = connection.ConnectedAt,
        RequestTimeEpoch = requestTimeEpoch,
        Identity = connection.Identity,
        RequestId = requestId,
        DomainName = connection.DomainName,
        ConnectionId = connection.ConnectionId,
        ApiId = apiId,
    };

    private static (Dictionary<string, string>, Dictionary<string, IList<string>>) Headers(HandshakeRequest request, string traceId, bool keepUpgrade)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var multi = new Dictionary<string, IList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers)
        {
            if (!keepUpgrade && (name.Equals("Connection", StringComparison.OrdinalIgnoreCase) || name.Equals("Upgrade", StringComparison.OrdinalIgnoreCase))) continue;
            if (name.StartsWith("X-Forwarded-", StringComparison.OrdinalIgnoreCase) || name.Equals("X-Amzn-Trace-Id", StringComparison.OrdinalIgnoreCase)) continue;
            if (values.Count == 0) continue;
            headers[name] = values[^1]!;
            multi[name] = values.ToArray()!;
        }
        if (keepUpgrade && !headers.ContainsKey("content-length")) Add(headers, multi, "content-length", "0");
        Add(headers, multi, "X-Amzn-Trace-Id", traceId);
        Add(headers, multi, "X-Forwarded-For", request.SourceIp);
        Add(headers, multi, "X-Forwarded-Port", request.LocalPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add(headers, multi, "X-Forwarded-Proto", request.Scheme);
        return (headers, multi);
    }

    private static void Add(Dictionary<string, string> headers, Dictionary<string, IList<string>> multi, string name, string value)
    {
        headers[name] = value;
        multi[name] = [value];
    }

    private static (Dictionary<string, string>?, Dictionary<string, IList<string>>?) Query(HandshakeRequest request)
    {
        if (request.Query.Count == 0) return (null, null);
        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        var multi = new Dictionary<string, IList<string>>(StringComparer.Ordinal);
        foreach (var (name, values) in request.Query)
        {
            query[name] = values.Count > 0 ? values[^1] ?? "" : "";
            multi[name] = values.Count > 0 ? values.Select(v => v ?? "").ToArray() : [""];
        }
        return (query, multi);
    }

    /// <summary>An X-Amzn-Trace-Id root: <c>Root=1-{epoch seconds hex}-{24 hex}</c>.</summary>
    public static string NewTraceId(long epochMilliseconds)
    {
        Span<byte> random = stackalloc byte[12];
        Random.Shared.NextBytes(random);
        return $"Root=1-{epochMilliseconds / 1000:x8}-{Convert.ToHexStringLower(random)}";
    }
}
