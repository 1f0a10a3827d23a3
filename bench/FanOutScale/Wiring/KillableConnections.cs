using Realtime.Bench.FanOutScale.Simulation;
using Realtime.Connect.Management;

namespace Realtime.Bench.FanOutScale.Wiring;

/// <summary>
/// The real @connections client as a killed invocation sees it: a post already on the wire still reaches the
/// server (and may be delivered), but its answer never comes back to the dead invocation.
/// </summary>
internal sealed class KillableConnections(IConnectionsClient inner, Action<ConnectionsResult> observe) : IConnectionsClient
{
    public async ValueTask<ConnectionsResult> PostAsync(ConnectionTarget target, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await SimulatedInvocation.HaltIfKilled();
        var result = await inner.PostAsync(target, data, cancellationToken);
        observe(result);
        await SimulatedInvocation.HaltIfKilled();
        return result;
    }

    public ValueTask<ConnectionsResult<ConnectionInfo>> GetAsync(ConnectionTarget target, CancellationToken cancellationToken) => inner.GetAsync(target, cancellationToken);

    public ValueTask<ConnectionsResult> DeleteAsync(ConnectionTarget target, CancellationToken cancellationToken) => inner.DeleteAsync(target, cancellationToken);
}
