using System.Text.Json;
using Realtime.Connect.Contract;
using Realtime.Local.Connections;
using Realtime.Local.Events;
using Realtime.Local.Functions;
using Realtime.Local.Routing;
using Route = Realtime.Local.Routing.Route;

namespace Realtime.Local.Gateway;

public sealed partial class WebSocketGateway
{
    private static readonly HashSet<string> s_reservedResponseHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Upgrade", "Content-Length", "Transfer-Encoding", "Sec-WebSocket-Accept", "Sec-WebSocket-Extensions",
        "Sec-WebSocket-Protocol", "Sec-WebSocket-Version", "Date", "Server",
    };

    /// <summary>
    /// Runs the API key check, the authorizer and $connect for a client's opening request. Accepted: the connection's
    /// details, the subprotocol (only when $connect returned exactly one that the client offered; never echoed on its
    /// own) and the headers $connect returned. Rejected: the HTTP status API Gateway answers with.
    /// </summary>
    public async Task<HandshakeResult> HandshakeAsync(HandshakeRequest request, CancellationToken cancellationToken)
    {
        var routes = await RoutesAsync().ConfigureAwait(false);
        var connectedAt = _clock.NowMilliseconds();
        var connection = new ConnectionDetails(ApiGatewayIds.NewConnectionId(), connectedAt, request.DomainName, EventFactory.Identity(request), null);
        var requestId = ApiGatewayIds.NewRequestId();
        var traceId = EventFactory.NewTraceId(connectedAt);
        var route = routes.Connect;

        if (route is { Definition.ApiKeyRequired: true } && string.IsNullOrEmpty(request.Header("x-api-key")))
        {
            return Rejected(connection, 403, "the route requires an API key (x-api-key)", Json("Forbidden"));
        }

        AuthorizerContext? connectAuthorizer = null;
        if (route?.Definition.Authorizer is { } authorizer)
        {
            var function = routes.Authorizer!;
            var outcome = await _authorizer.AuthorizeAsync(authorizer, function, route.IntegrationTimeout, request, connection, requestId, traceId, cancellationToken).ConfigureAwait(false);
            if (!outcome.Allowed)
            {
                var body = outcome.Status switch { 401 => Json("Unauthorized"), 403 => Json("Forbidden"), _ => Json("Internal server error") };
                return Rejected(connection, outcome.Status, outcome.Reason, body);
            }
            connection = connection with { Authorizer = outcome.Context };
            connectAuthorizer = outcome.Context! with { IntegrationLatency = outcome.LatencyMilliseconds };
        }

        if (route is null) return HandshakeResult.Accept(connection, null, []);

        var @event = _events.Connect(request, connection, requestId, connectedAt, traceId, connectAuthorizer);
        var input = EventJson.Serialize(@event);
        var invocation = await _invoker.InvokeAsync(route.Function, input.WrittenSegment, route.IntegrationTimeout, cancellationToken).ConfigureAwait(false);
        if (!invocation.Abandoned) input.Dispose();

        switch (invocation.Outcome)
        {
            case InvocationOutcome.Failed:
                GatewayLog.FunctionFailed(_logger, route.Function.Name, route.Key, connection.ConnectionId, invocation.Error!);
                return Rejected(connection, 502, "$connect failed", Json("Internal server error"));
            case InvocationOutcome.FunctionTimedOut:
                GatewayLog.FunctionTimedOut(_logger, route.Function.Name, route.Key, connection.ConnectionId, "function timeout", invocation.LatencyMilliseconds);
                return Rejected(connection, 502, "$connect ran past its function timeout", Json("Internal server error"));
            case InvocationOutcome.IntegrationTimedOut:
                GatewayLog.FunctionTimedOut(_logger, route.Function.Name, route.Key, connection.ConnectionId, "integration timeout", invocation.LatencyMilliseconds);
                return Rejected(connection, 504, "$connect timed out", Json("Endpoint request timed out"));
        }

        var response = await ReadProxyResponseAsync(invocation.Output, route, connection.ConnectionId, cancellationToken).ConfigureAwait(false);
        if (response is null) return Rejected(connection, 502, "$connect returned a malformed proxy result", Json("Internal server error"));
        if (response.StatusCode is < 100 or > 599)
        {
            GatewayLog.MalformedResponse(_logger, route.Function.Name, route.Key, connection.ConnectionId, $"statusCode {response.StatusCode}");
            return Rejected(connection, 502, $"$connect returned statusCode {response.StatusCode}", Json("Internal server error"));
        }
        if (response.StatusCode is < 200 or > 299) return Rejected(connection, response.StatusCode, $"$connect returned {response.StatusCode}", null);

        return HandshakeResult.Accept(connection, Subprotocol(response, request, route, connection.ConnectionId), ResponseHeaders(response));
    }

    private HandshakeResult Rejected(ConnectionDetails connection, int status, string reason, string? body)
    {
        GatewayLog.ConnectRejected(_logger, RouteTable.ConnectKey, connection.ConnectionId, status, _clock.NowMilliseconds() - connection.ConnectedAt, reason);
        return HandshakeResult.Reject(status, body);
    }

    private static string Json(string message) => $"{{\"message\":\"{message}\"}}";

    private async Task<ProxyResponse?> ReadProxyResponseAsync(Stream? output, Route route, string connectionId, CancellationToken cancellationToken)
    {
        if (output is null)
        {
            GatewayLog.MalformedResponse(_logger, route.Function.Name, route.Key, connectionId, "no response");
            return null;
        }
        await using (output)
        {
            try
            {
                return await JsonSerializer.DeserializeAsync(output, ApiGatewayJsonContext.Default.ProxyResponse, cancellationToken).ConfigureAwait(false);
            }
            catch (JsonException e)
            {
                GatewayLog.MalformedResponse(_logger, route.Function.Name, route.Key, connectionId, e.Message);
                return null;
            }
        }
    }

    /// <summary>
    /// The one subprotocol $connect chose, when it is exactly one value the client offered. Anything else completes
    /// the handshake here without a subprotocol, but on AWS the header would be passed on and a browser would abort
    /// the handshake, so it is logged as a warning the developer sees.
    /// </summary>
    private string? Subprotocol(ProxyResponse response, HandshakeRequest request, Route route, string connectionId)
    {
        var chosen = Subprotocol(response, request, out var problem);
        if (problem is not null) GatewayLog.MalformedResponse(_logger, route.Function.Name, route.Key, connectionId, problem + "; a browser would abort this handshake on AWS");
        return chosen;
    }

    private static string? Subprotocol(ProxyResponse response, HandshakeRequest request, out string? problem)
    {
        problem = null;
        var values = new List<string>();
        foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
        {
            if (name.Equals("Sec-WebSocket-Protocol", StringComparison.OrdinalIgnoreCase)) values.AddRange(value.Split(','));
        }
        foreach (var (name, list) in response.MultiValueHeaders ?? new Dictionary<string, IList<string>>())
        {
            if (name.Equals("Sec-WebSocket-Protocol", StringComparison.OrdinalIgnoreCase)) values.AddRange(list.SelectMany(v => v.Split(',')));
        }
        if (values.Count == 0)
        {
            if (request.OfferedSubprotocols.Count > 0) problem = "the client offered subprotocols and $connect returned no Sec-WebSocket-Protocol";
            return null;
        }
        if (values.Count > 1)
        {
            problem = $"$connect returned {values.Count} Sec-WebSocket-Protocol values, not exactly one";
            return null;
        }
        var chosen = values[0].Trim();
        if (request.OfferedSubprotocols.Contains(chosen, StringComparer.Ordinal)) return chosen;
        problem = $"$connect returned Sec-WebSocket-Protocol \"{chosen}\", which the client did not offer";
        return null;
    }

    private static List<KeyValuePair<string, string>> ResponseHeaders(ProxyResponse response)
    {
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
        {
            if (!s_reservedResponseHeaders.Contains(name)) headers.Add(new(name, value));
        }
        foreach (var (name, values) in response.MultiValueHeaders ?? new Dictionary<string, IList<string>>())
        {
            if (s_reservedResponseHeaders.Contains(name) || response.Headers?.ContainsKey(name) == true) continue;
            foreach (var value in values) headers.Add(new(name, value));
        }
        return headers;
    }
}
