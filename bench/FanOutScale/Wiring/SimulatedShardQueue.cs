using Realtime.Bench.FanOutScale.Simulation;
using Realtime.Router.FanOut;

namespace Realtime.Bench.FanOutScale.Wiring;

/// <summary>The functions' shard queue on the SQS stand-in: the same message bodies SqsShardQueue sends.</summary>
internal sealed class SimulatedShardQueue(SimulatedQueue queue) : IShardQueue
{
    public async Task SendAsync(IReadOnlyList<Shard> shards, CancellationToken cancellationToken)
    {
        await SimulatedInvocation.HaltIfKilled();
        queue.SendBatch(shards.Select(s => s.ToBody()));
        await SimulatedInvocation.HaltIfKilled();
    }
}
