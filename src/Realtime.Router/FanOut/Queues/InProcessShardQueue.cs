using System.Threading.Channels;

namespace Realtime.Router.FanOut;

/// <summary>
/// The shard queue of a single process (the local host): shards wait in memory until the host's worker takes them
/// (<see cref="Reader"/>). Unbounded, since a shard is small and a split never queues more than SplitWidth + 1 at once.
/// </summary>
public sealed class InProcessShardQueue : IShardQueue
{
    private readonly Channel<Shard> _shards = Channel.CreateUnbounded<Shard>(new UnboundedChannelOptions { SingleReader = false });

    public ChannelReader<Shard> Reader => _shards.Reader;

    public Task SendAsync(IReadOnlyList<Shard> shards, CancellationToken cancellationToken)
    {
        foreach (var shard in shards)
        {
            if (!_shards.Writer.TryWrite(shard)) throw new InvalidOperationException("The shard queue is closed.");
        }
        return Task.CompletedTask;
    }

    /// <summary>No more shards: the worker ends once it has taken what is queued.</summary>
    public void Complete() => _shards.Writer.TryComplete();
}
