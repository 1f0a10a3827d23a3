using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Realtime.Local.Authorization;
using Realtime.Local.Connections;
using Realtime.Local.Events;
using Realtime.Local.Functions;
using Realtime.Local.Routing;

namespace Realtime.Local.Gateway;

/// <summary>
/// The emulated API Gateway WebSocket front door, shared by every transport: it runs the authorizer and $connect
/// on a handshake, routes each message to its function (concurrently, without per-connection ordering, up to a bound
/// per connection), sends the error frames API Gateway sends, and invokes $disconnect when a connection ends.
/// Transports report what happens on their sockets; the gateway decides what API Gateway would do.
/// </summary>
public sealed partial class WebSocketGateway
{
    private readonly ConnectionTable _connections;
    private readonly EventFactory _events;
    private readonly MessageEventWriter _messageEvents;
    private readonly FunctionInvoker _invoker;
    private readonly AuthorizerGate _authorizer;
    private readonly RequestClock _clock;
    private readonly GatewayOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationToken _stopping;
    private readonly TimeProvider _time;
    private readonly DeadlineSweeper _deadlines;
    private readonly InFlight _inFlight = new();
    private readonly TaskCompletionSource<RouteTable> _routes = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private RouteTable? _ready;

    public WebSocketGateway(
        ConnectionTable connections, EventFactory events, FunctionInvoker invoker, RequestClock clock,
        GatewayOptions options, ILoggerFactory loggerFactory, IHostApplicationLifetime lifetime, TimeProvider time)
    {
        _time = time;
        _deadlines = new DeadlineSweeper(time);
        lifetime.ApplicationStopped.Register(_deadlines.Dispose);
        _connections = connections;
        _events = events;
        _messageEvents = new MessageEventWriter(events.Stage, events.ApiId, clock);
        _invoker = invoker;
        _clock = clock;
        _options = options;
        _authorizer = new AuthorizerGate(events, invoker);
        _logger = loggerFactory.CreateLogger("Realtime.Local.Gateway");
        _stopping = lifetime.ApplicationStopping;
    }

    public ConnectionTable Connections => _connections;
    public GatewayOptions Options => _options;

    /// <summary>The routes, once the functions are bound (handshakes wait for them).</summary>
    public RouteTable? Routes => _ready;

    internal void Start(RouteTable routes)
    {
        foreach (var route in routes.MessageRoutes) route.Deadlines = _deadlines.Register(route.Limit);
        _ready = routes;
        _routes.TrySetResult(routes);
    }

    internal void Fail(Exception error) => _routes.TrySetException(error);

    private ValueTask<RouteTable> RoutesAsync() =>
        _ready is { } routes ? ValueTask.FromResult(routes) : new ValueTask<RouteTable>(_routes.Task);

    /// <summary>The handshake completed: the connection becomes reachable through @connections.</summary>
    public void Open(GatewayConnection connection)
    {
        _inFlight.Enter(); // left when its $disconnect has run
        _connections.TryAdd(connection);
        GatewayLog.Connected(_logger, RouteTable.ConnectKey, connection.ConnectionId, 101, _clock.NowMilliseconds() - connection.Details.ConnectedAt, connection.Transport);
    }

    /// <summary>Closes a connection from the gateway's side (@connections DELETE, timeouts, limits).</summary>
    public bool Close(GatewayConnection connection, CloseStatus status, string why)
    {
        if (!_connections.Close(connection, status)) return false;
        GatewayLog.Closing(_logger, why, connection.ConnectionId, status.Code, status.Reason);
        return true;
    }

    /// <summary>
    /// The transport has ended. <paramref name="clientStatus"/> is what the client sent (or 1006 for a drop); when the
    /// gateway closed the connection first, its own status is what $disconnect reports.
    /// </summary>
    public void Ended(GatewayConnection connection, CloseStatus clientStatus)
    {
        _connections.ClientClosed(connection);
        var status = connection.ServerClose ?? clientStatus;
        _ = DisconnectAsync(connection, status);
    }

    /// <summary>
    /// For an orderly stop: closes every connection with 1001 "Going away" and waits (up to <paramref name="timeout"/>)
    /// until they have ended and their $disconnect and running invocations have finished.
    /// </summary>
    public Task DrainAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        foreach (var connection in _connections.Snapshot()) Close(connection, CloseStatus.GoingAway, "stopping");
        return _inFlight.WaitIdleAsync(timeout, cancellationToken);
    }

    private async ValueTask SendFrameAsync(GatewayConnection connection, ReadOnlyMemory<byte> utf8)
    {
        if (connection.IsClosing) return;
        try
        {
            await connection.SendTextAsync(utf8, _stopping).ConfigureAwait(false);
            connection.Touch(_clock.NowMilliseconds());
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The client is gone; its transport reports the end.
        }
    }
}
