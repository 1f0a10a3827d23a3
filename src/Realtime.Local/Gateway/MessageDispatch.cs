using Realtime.Local.Connections;
using Realtime.Local.Events;
using Realtime.Local.Functions;
using Route = Realtime.Local.Routing.Route;

namespace Realtime.Local.Gateway;

/// <summary>
/// One message on its way to its function: queued to the thread pool by the receive loop (which goes on reading),
/// invoked there, and raced against its route's deadline, which a shared sweeper enforces even while the function
/// blocks its thread.
/// </summary>
internal sealed class MessageDispatch(WebSocketGateway gateway, GatewayConnection connection, Route route, PooledBuffer input, string requestId)
    : DeadlineEntry, IThreadPoolWorkItem
{
    public GatewayConnection Connection => connection;
    public Route Route => route;
    public string RequestId => requestId;

    /// <summary>The event JSON, written on the receiving thread; returned to the pool only when the function is done with it.</summary>
    public PooledBuffer Input => input;

    public long StartedTimestamp { get; set; }

    public void Execute() => _ = gateway.DispatchAsync(this);

    protected internal override void OnExpired() => gateway.Expired(this);
}
