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
    /// Completes when the connection may hand over its next message: fewer than
    /// <see cref="GatewayOptions.MaxInFlightPerConnection"/> of its invocations are running (or it is closing).
    /// Transports wait on it before they read, so a client that outpaces its functions is held back by its socket.
    /// </summary>
    public ValueTask ReadyForMessageAsync(GatewayConnection connection, CancellationToken cancellationToken) =>
        connection.Invocations.WaitBelowAsync(_options.MaxInFlightPerConnection, cancellationToken);

    /// <summary>
    /// A complete text message from a client. It is routed now and its function runs on the thread pool, so a
    /// connection's messages are invoked concurrently, as on API Gateway, and the caller can read the next one (once
    /// <see cref="ReadyForMessageAsync"/> completes).
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

        _inFlight.Enter();
        connection.Invocations.Started();
        var input = _messageEvents.Write(connection.Details, connection.Fragments, route.Key, utf8Message, requestId, ApiGatewayIds.NewRequestId(), now);
        ThreadPool.UnsafeQueueUserWorkItem(new MessageDispatch(this, connection, route, input, requestId), preferLocal: true);
    }

    internal async Task DispatchAsync(MessageDispatch dispatch)
    {
        var route = dispatch.Route;
        var connection = dispatch.Connection;
        Task<Stream> task;
        try
        {
            dispatch.StartedTimestamp = _time.GetTimestamp();
            route.Deadlines!.Add(dispatch, dispatch.StartedTimestamp);
            var input = dispatch.Input.WrittenSegment;
            task = route.Function.Invoke(new MemoryStream(input.Array!, input.Offset, input.Count, writable: false, publiclyVisible: true), _stopping);
        }
        catch (Exception e)
        {
            task = Task.FromException<Stream>(e);
        }

        if (!task.IsCompleted)
        {
            try
            {
                await task.ConfigureAwait(false);
            }
            catch
            {
                // Read from the task below.
            }
        }
        // Only now, even past the deadline: a late function still holds what it uses (a database connection...).
        connection.Invocations.Finished();

        if (!dispatch.TryComplete())
        {
            // The deadline answered already; the result is dropped, as API Gateway drops a late Lambda's.
            if (task.IsCompletedSuccessfully) await (task.Result?.DisposeAsync() ?? ValueTask.CompletedTask).ConfigureAwait(false);
            else _ = task.Exception;
            return;
        }

        try
        {
            dispatch.Input.Dispose();
            var latency = (long)_time.GetElapsedTime(dispatch.StartedTimestamp).TotalMilliseconds;
            int status;
            if (task.IsCompletedSuccessfully)
            {
                status = 200;
                if (route.TwoWay) await SendRouteResponseAsync(connection, route, task.Result).ConfigureAwait(false);
                else if (task.Result is { } output) await output.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                status = 500;
                GatewayLog.FunctionFailed(_logger, route.Function.Name, route.Key, connection.ConnectionId, task.Exception?.InnerException ?? new OperationCanceledException());
                await SendFrameAsync(connection, ErrorFrames.Build(ErrorFrames.InternalServerError, connection.ConnectionId, dispatch.RequestId)).ConfigureAwait(false);
            }
            GatewayLog.Message(_logger, route.Key, connection.ConnectionId, status, latency);
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

    /// <summary>
    /// The route's deadline passed before its function returned: the integration timeout sends "Endpoint request
    /// timed out", the function's own timeout is a function error ("Internal server error"). The function keeps its
    /// input buffer, since it may still be reading it.
    /// </summary>
    internal void Expired(MessageDispatch dispatch)
    {
        var route = dispatch.Route;
        var connection = dispatch.Connection;
        var latency = (long)_time.GetElapsedTime(dispatch.StartedTimestamp).TotalMilliseconds;
        try
        {
            if (route.FunctionTimeoutFirst)
            {
                GatewayLog.FunctionTimedOut(_logger, route.Function.Name, route.Key, connection.ConnectionId, "function timeout", latency);
                _ = SendFrameAsync(connection, ErrorFrames.Build(ErrorFrames.InternalServerError, connection.ConnectionId, dispatch.RequestId));
                GatewayLog.Message(_logger, route.Key, connection.ConnectionId, 500, latency);
            }
            else
            {
                GatewayLog.FunctionTimedOut(_logger, route.Function.Name, route.Key, connection.ConnectionId, "integration timeout", latency);
                _ = SendFrameAsync(connection, ErrorFrames.Build(ErrorFrames.EndpointRequestTimedOut, connection.ConnectionId, dispatch.RequestId));
                GatewayLog.Message(_logger, route.Key, connection.ConnectionId, 504, latency);
            }
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
            if (_options.DisconnectDelay > TimeSpan.Zero) await Task.Delay(_options.DisconnectDelay, _time).ConfigureAwait(false);

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
