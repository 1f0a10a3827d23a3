using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Realtime.Connect.Hosting;
using Realtime.Connect.Hosting.Metrics;
using Realtime.Connect.Registry;
using Realtime.Router.FanOut;
using Realtime.Router.Publishing;

namespace Realtime.Router.Functions;

/// <summary>
/// The shard queue's consumer: each SQS record is a shard of a large audience. An open shard is split further
/// (<see cref="ShardPlanner"/>); a closed one is posted (<see cref="ShardWorker"/>) within the invocation's deadline,
/// and what is left is queued again from the saved progress. The records of a batch are worked at once. A record that could not be worked (malformed, its range
/// held by another invocation, a failure) is reported in <c>batchItemFailures</c> for SQS to deliver again.
/// </summary>
public sealed class ShardFunction
{
    private readonly ShardPlanner _planner;
    private readonly ShardWorker _worker;
    private readonly ILogger _logger;
    private readonly FunctionDeadline _deadline;
    private readonly FunctionMetrics _metrics;

    /// <summary>Lambda's constructor: everything from environment variables.</summary>
    public ShardFunction()
        : this(FunctionEnvironment.Current)
    {
    }

    /// <summary>Everything from <paramref name="environment"/>, as Lambda would set it from the template.</summary>
    public ShardFunction(FunctionEnvironment environment)
        : this(environment.Compose(RouterFunctionServices.ForShards))
    {
    }

    private ShardFunction(IServiceProvider services)
        : this(services.GetRequiredService<ShardPlanner>(), services.GetRequiredService<ShardWorker>(), services.GetRequiredService<ILogger<ShardFunction>>(),
            services.GetService<FunctionDeadline>(), services.GetService<IMetricsSink>(), services.GetService<TimeProvider>())
    {
    }

    [ActivatorUtilitiesConstructor]
    public ShardFunction(ShardPlanner planner, ShardWorker worker, ILogger<ShardFunction> logger, FunctionDeadline? deadline = null, IMetricsSink? metrics = null, TimeProvider? timeProvider = null)
    {
        _planner = planner;
        _worker = worker;
        _logger = logger;
        _deadline = deadline ?? FunctionDeadline.None;
        _metrics = new FunctionMetrics(FunctionMetrics.Shard, metrics, timeProvider);
    }

    public async Task<Stream> FunctionHandler(Stream input)
    {
        var records = await SqsBatch.ReadAsync(input, _logger).ConfigureAwait(false);
        using var recording = _metrics.Start();
        var end = _deadline.End();
        using var budget = _deadline.Start();
        // The batch's shards run at once, sharing this process's limit and rate: one shard's tail (its last, slowest
        // posts) is filled by the others' posts instead of leaving the invocation idle.
        var worked = await Task.WhenAll(records.Select(record => WorkAsync(record, end, budget.Token))).ConfigureAwait(false);
        var failures = records.Where((_, i) => !worked[i]).Select(record => new SqsBatchItemFailure(record.MessageId)).ToList();
        return await SqsBatch.AnswerAsync(failures).ConfigureAwait(false);
    }

    private async Task<bool> WorkAsync(SqsRecord record, DateTimeOffset? end, CancellationToken cancellationToken)
    {
        await Task.Yield();
        if (cancellationToken.IsCancellationRequested) return false;
        if (!Shard.TryRead(record.Body, out var shard, out var error))
        {
            ShardLog.Rejected(_logger, record.MessageId, error);
            return false;
        }
        try
        {
            if (shard.Range.IsOpen)
            {
                var shards = await _planner.SplitAsync(shard, cancellationToken).ConfigureAwait(false);
                ShardLog.Split(_logger, shard.Range.ToString(), shards);
                return true;
            }
            var outcome = await _worker.PostAsync(shard, end, cancellationToken).ConfigureAwait(false);
            ShardLog.Worked(_logger, shard.Range.ToString(), outcome.State, outcome.Report.Delivered, outcome.Report.Gone, outcome.Report.Failed);
            // Busy: a copy of a shard another invocation works; that one finishes it, hands it on or is redelivered
            // itself, so this copy is done with (reporting it would only bring it back after the visibility timeout).
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            ShardLog.OutOfTime(_logger, shard.Range.ToString());
            return false;
        }
        catch (LeaseLostException e)
        {
            // Another invocation took the range over; it goes on from the progress saved.
            ShardLog.LeaseLost(_logger, e.Message);
            return true;
        }
        catch (Exception e)
        {
            ShardLog.Failed(_logger, shard.Range.ToString(), e);
            return false;
        }
    }
}
