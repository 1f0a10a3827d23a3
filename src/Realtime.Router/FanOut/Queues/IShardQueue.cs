namespace Realtime.Router.FanOut;

/// <summary>
/// Where shards wait for an invocation: on AWS the shard queue (SQS), whose messages invoke the shard function; in
/// the local host a queue in memory that the host works off in the background. Delivery is at least once: a shard may
/// arrive twice, which the <c>IDeliveryLedger</c> makes harmless.
/// </summary>
public interface IShardQueue
{
    /// <summary>Queues every shard, or throws: a shard is never dropped silently.</summary>
    Task SendAsync(IReadOnlyList<Shard> shards, CancellationToken cancellationToken);
}
