using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Realtime.Connect.Registry;

namespace Realtime.Router.FanOut;

/// <summary>
/// Removes the connections a fan-out found gone, in the background and in batches (one
/// <see cref="IConnectionRegistry.RemoveAllAsync"/> for up to <see cref="BatchSize"/> of them, so their items share
/// BatchWriteItem requests), so cleanup never holds up delivery. The queue is bounded: if removal falls behind by a
/// full queue, delivery waits for it rather than letting memory grow with the audience.
/// </summary>
internal sealed class GoneConnections
{
    /// <summary>Twelve connections with a subscription each fill one 25-item BatchWriteItem.</summary>
    public const int BatchSize = 12;

    private readonly Channel<string> _queue;
    private readonly Task _removing;

    public GoneConnections(IConnectionRegistry registry, int concurrency, int capacity, ILogger logger, CancellationToken cancellationToken)
    {
        _queue = Channel.CreateBounded<string>(new BoundedChannelOptions(capacity) { SingleReader = false, SingleWriter = false });
        _removing = Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => RemoveBatchesAsync(registry, logger, cancellationToken)));
    }

    public ValueTask AddAsync(string connectionId, CancellationToken cancellationToken) => _queue.Writer.WriteAsync(connectionId, cancellationToken);

    /// <summary>Waits until every connection added so far is removed.</summary>
    public Task CompleteAsync()
    {
        _queue.Writer.TryComplete();
        return _removing;
    }

    private async Task RemoveBatchesAsync(IConnectionRegistry registry, ILogger logger, CancellationToken cancellationToken)
    {
        var batch = new List<string>(BatchSize);
        while (await _queue.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (batch.Count < BatchSize && _queue.Reader.TryRead(out var connectionId)) batch.Add(connectionId);
            if (batch.Count == 0) continue;
            try
            {
                await registry.RemoveAllAsync(batch, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                FanOutLog.RemoveFailed(logger, batch.Count, string.Join(", ", batch), ex);
            }
            batch.Clear();
        }
    }
}
