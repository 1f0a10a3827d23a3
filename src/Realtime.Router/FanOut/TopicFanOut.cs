using Microsoft.Extensions.Logging;
using Realtime.Connect.Registry;

namespace Realtime.Router.FanOut;

/// <summary>
/// Sets a message out to a topic's audience, the way the audience's size asks: reads the first
/// <see cref="FanOutOptions.DirectAudience"/> subscribers, and if that is all of them posts to them here and now
/// (one Query, no hop); otherwise splits the audience into shards for the queue (<see cref="ShardPlanner"/>), which
/// many invocations deliver in parallel, each within its deadline.
/// </summary>
public sealed class TopicFanOut(IConnectionRegistry registry, RangeDelivery delivery, ShardPlanner planner, FanOutOptions options, ILogger<TopicFanOut> logger)
{
    public async Task<FanOutResult> StartAsync(Delivery message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var first = await registry.ListTopicAsync(message.Topic, PageRequest.First(options.DirectAudience), cancellationToken).ConfigureAwait(false);
        if (first.NextCursor is not null)
        {
            var shards = await planner.SplitAsync(Shard.Whole(message), cancellationToken).ConfigureAwait(false);
            FanOutLog.Sharded(logger, message.MessageId, message.Topic, options.DirectAudience, shards);
            return FanOutResult.Queued(shards);
        }

        // The page just read is the whole audience: post from it rather than read it again.
        var outcome = await delivery.PostAsync(
            (page, token) => page.Cursor is null ? Task.FromResult(first) : registry.ListTopicAsync(message.Topic, page, token),
            message.Payload, from: null, pending: [], until: null, checkpoint: null, cancellationToken, cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        Broadcaster.Record(outcome.Report);
        return FanOutResult.Delivered(outcome.Report);
    }
}
