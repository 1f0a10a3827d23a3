using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Realtime.Router.FanOut;

namespace Realtime.Local.Publishing;

/// <summary>
/// Plays the shard queue's event source in the local host: takes the shards of large audiences off the in-process
/// queue and works them with the same planner and worker the shard function uses, a few at once, as Lambda runs a
/// few invocations at once. A shard that fails is logged and dropped, as the dead-letter queue would keep it.
/// </summary>
internal sealed partial class ShardQueueWorker(InProcessShardQueue queue, ShardPlanner planner, ShardWorker worker, ILogger<ShardQueueWorker> logger) : BackgroundService
{
    private const int Concurrency = 4;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Parallel.ForEachAsync(queue.Reader.ReadAllAsync(stoppingToken), new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = stoppingToken },
            async (shard, token) =>
            {
                try
                {
                    // A copy of a shard already being worked comes back Busy and is dropped, as the shard function does.
                    if (shard.Range.IsOpen) await planner.SplitAsync(shard, token);
                    else await worker.PostAsync(shard, deadline: null, token);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Failed(logger, shard.Range.ToString(), e);
                }
            });

    [LoggerMessage(EventId = 900, Level = LogLevel.Error, Message = "Shard {Range} failed and is dropped")]
    private static partial void Failed(ILogger logger, string range, Exception exception);
}
