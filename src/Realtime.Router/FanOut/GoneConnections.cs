using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Realtime.Connect.Registry;

namespace Realtime.Router.FanOut;

/// <summary>
/// Removes the connections a fan-out found gone, in the background and a few at a time, so cleanup never holds up
/// delivery. The queue is bounded: if removal falls behind by a full queue, delivery waits for it rather than
/// letting memory grow with the audience.
/// </summary>
internal sealed class GoneConnections
{
    private readonly Channel<string> _queue;
    private readonly Task _removing;

    public GoneConnections(IConnectionRegistry registry, int concurrency, int capacity, ILogger logger, CancellationToken cancellationToken)
    {
        _queue = Channel.CreateBounded<string>(new BoundedChannelOptions(capacity) { SingleReader = false, SingleWriter = false });
        _removing = Parallel.ForEachAsync(
            _queue.Reader.ReadAllAsync(cancellationToken),
            new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (connectionId, token) =>
            {
                try
                {
                    await registry.RemoveAsync(connectionId, token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    FanOutLog.RemoveFailed(logger, connectionId, ex);
                }
            });
    }

    public ValueTask AddAsync(string connectionId, CancellationToken cancellationToken) => _queue.Writer.WriteAsync(connectionId, cancellationToken);

    /// <summary>Waits until every connection added so far is removed.</summary>
    public Task CompleteAsync()
    {
        _queue.Writer.TryComplete();
        return _removing;
    }
}
