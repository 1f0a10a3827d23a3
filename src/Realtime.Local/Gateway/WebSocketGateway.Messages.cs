using System.Text;
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
    /// <summary>
    /// A complete text message from a client. It is routed now and its function runs in the background, so a
    /// connection's messages are invoked concurrently, as on API Gateway, and the caller can read the next one.
    /// </summary>
    public void Receive(GatewayConnection connection, ReadOnlySpan<byte> utf8Message)
    {
        var now = _clock.NowMilliseconds();
        connection.Touch(now);
        var routes = _ready!;
        var route = routes.Select(utf8Message);
        var requestId = ApiGatewayIds.NewRequestId();
        if (route is null)
        {
            GatewayLog.NoRoute(_logger, "(no route)", connection.ConnectionId);
            _ = SendFrameAsync(connection, ErrorFrames.Build(ErrorFrames.Forbidden, connection.ConnectionId, requestId));
            return;
        }

        var body = Encoding.UTF8.GetString(utf8Message);
        _inFlight.Enter();
        _ = DispatchAsync(connection, route, body, requestId, now);
    }

    private async Task DispatchAsync(GatewayConnection connection, Route route, string body, string requestId, long requestTimeEpoch)
    {
        try
        {
            var @event = _events.Message(connection.Details, route.Key, body, requestId, ApiGatewayIds.NewRequestId(), requestTimeEpoch);
            var input = EventJson.Serialize(@event);
            var invocation = await _invoker.InvokeAsync(route.Function, input.WrittenSegment, route.IntegrationTimeout, _stopping).ConfigureAwait(false);
            if (!invocation.Abandoned) input.Dispose(); // an abandoned function may still read it

            int status;
            switch (invocation.Outcome)
            {
                case InvocationOutcome.Succeeded:
                    status = 200;
                    if (route.TwoWay) await SendRouteResponseAsync(connection, route, invocation.Output).ConfigureAwait(false);
                    else if (invocation.Output is not null) await invocation.Output.DisposeAsync().ConfigureAwait(false);
                    break;
                case InvocationOutcome.IntegrationTimedOut:
                    status = 504;
                    GatewayLog.FunctionTimedOut(_logger, route.Function.Name, route.Key, connection.ConnectionId, "integration timeout", invocation.LatencyMilliseconds);
                    await SendFrameAsync(connection, ErrorFrames.Build(ErrorFrames.EndpointRequestTimedOut, connection.ConnectionId, requestId)).ConfigureAwait(false);
                    break;
                default:
                    status = 500;
                    if (invocation.Error is { } error) GatewayLog.FunctionFailed(_logger, route.Function.Name, route.Key, connection.ConnectionId, error);
                    else GatewayLog.FunctionTimedOut(_logger, route.Function.Name, route.Key, connection.ConnectionId, "function timeout", invocation.LatencyMilliseconds);
                    await SendFrameAsync(connection, ErrorFrames.Build(ErrorFrames.InternalServerError, connection.ConnectionId, requestId)).ConfigureAwait(false);
                    break;
            }
            GatewayLog.Message(_logger, route.Key, connection.ConnectionId, status, invocation.LatencyMilliseconds);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            GatewayLog.FunctionFailed(_logger, route.Function.Name, route.Key, connection.ConnectionId, e);
        }
        finally
        {
            _inFlight.Exit();
        }
    }

    /// <summary>A two-way route sends the proxy result's body (not its status or headers) back as a text message.</summary>
    private async Task SendRouteResponseAsync(GatewayConnection connection, Route route, Stream? output)
    {
        if (output is null) return;
        ProxyResponse? response;
        await using (output)
        {
            try
            {
                response = await JsonSerializer.DeserializeAsync(output, ApiGatewayJsonContext.Default.ProxyResponse, _stopping).ConfigureAwait(false);
            }
            catch (JsonException e)
            {
                GatewayLog.MalformedResponse(_logger, route.Function.Name, route.Key, connection.ConnectionId, e.Message);
                return;
            }
        }
        if (response?.Body is { } body) await SendFrameAsync(connection, Encoding.UTF8.GetBytes(body)).ConfigureAwait(false);
    }

    private async Task DisconnectAsync(GatewayConnection connection, CloseStatus status)
    {
        try
        {
            await Task.Yield();
            var routes = _ready;
            var route = routes?.Disconnect;
            if (route is null)
            {
                GatewayLog.DisconnectSkipped(_logger, RouteTable.DisconnectKey, connection.ConnectionId, status.Code, status.Reason, "no $disconnect route");
                return;
            }
            if (!_options.DeliverDisconnect)
            {
                GatewayLog.DisconnectSkipped(_logger, RouteTable.DisconnectKey, connection.ConnectionId, status.Code, status.Reason, "$disconnect delivery is off");
                return;
            }

            var now = _clock.NowMilliseconds();
            var requestId = ApiGatewayIds.NewRequestId();
            var @event = _events.Disconnect(connection.Details, status, requestId, now);
            var input = EventJson.Serialize(@event);
            var invocation = await _invoker.InvokeAsync(route.Function, input.WrittenSegment, route.IntegrationTimeout, CancellationToken.None).ConfigureAwait(false);
            if (!invocation.Abandoned) input.Dispose();
            if (invocation.Output is not null) await invocation.Output.DisposeAsync().ConfigureAwait(false);

            var code = invocation.Outcome switch { InvocationOutcome.Succeeded => 200, InvocationOutcome.IntegrationTimedOut => 504, _ => 500 };
            if (invocation.Error is { } error) GatewayLog.FunctionFailed(_logger, route.Function.Name, route.Key, connection.ConnectionId, error);
            GatewayLog.Disconnected(_logger, route.Key, connection.ConnectionId, code, invocation.LatencyMilliseconds, status.Code, status.Reason);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            GatewayLog.FunctionFailed(_logger, "$disconnect", RouteTable.DisconnectKey, connection.ConnectionId, e);
        }
        finally
        {
            _inFlight.Exit();
        }
    }
}
