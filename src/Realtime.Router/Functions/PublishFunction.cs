using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Realtime.Connect.Hosting;
using Realtime.Connect.Hosting.Metrics;
using Realtime.Router.Publishing;

namespace Realtime.Router.Functions;

/// <summary>
/// The publish queue's consumer: each SQS record is a publish request, fanned out to its topic's subscribers. A record
/// that is malformed or whose fan-out could not run is reported in <c>batchItemFailures</c>: SQS retries it and, after
/// the queue's maxReceiveCount, keeps it in the dead-letter queue. Nothing is dropped silently. Connections that could
/// not be reached (after the client's retries) are counted and logged, not retried by SQS, which would deliver the
/// event twice to everyone else. A large audience is split into shards for the shard queue (<see cref="ShardFunction"/>).
/// </summary>
public sealed class PublishFunction
{
    private readonly Publisher _publisher;
    private readonly ILogger _logger;
    private readonly FunctionDeadline _deadline;
    private readonly FunctionMetrics _metrics;

    /// <summary>Lambda's constructor: everything from environment variables.</summary>
    public PublishFunction()
        : this(FunctionEnvironment.Current)
    {
    }

    /// <summary>Everything from <paramref name="environment"/>, as Lambda would set it from the template.</summary>
    public PublishFunction(FunctionEnvironment environment)
        : this(environment.Compose(RouterFunctionServices.ForPublishing))
    {
    }

    private PublishFunction(IServiceProvider services)
        : this(services.GetRequiredService<Publisher>(), services.GetRequiredService<ILogger<PublishFunction>>(), services.GetService<FunctionDeadline>(),
            services.GetService<IMetricsSink>(), services.GetService<TimeProvider>())
    {
    }

    [ActivatorUtilitiesConstructor]
    public PublishFunction(Publisher publisher, ILogger<PublishFunction> logger, FunctionDeadline? deadline = null, IMetricsSink? metrics = null, TimeProvider? timeProvider = null)
    {
        _publisher = publisher;
        _logger = logger;
        _deadline = deadline ?? FunctionDeadline.None;
        _metrics = new FunctionMetrics(FunctionMetrics.Publish, metrics, timeProvider);
    }

    public async Task<Stream> FunctionHandler(Stream input)
    {
        var records = await SqsBatch.ReadAsync(input, _logger).ConfigureAwait(false);
        var failures = new List<SqsBatchItemFailure>();
        using var recording = _metrics.Start();
        using var budget = _deadline.Start();
        foreach (var record in records)
        {
            if (budget.IsCancellationRequested)
            {
                // Out of time before this record began: SQS gives it to a later invocation.
                PublishLog.NotStarted(_logger, record.MessageId);
                failures.Add(new SqsBatchItemFailure(record.MessageId));
                continue;
            }
            if (!await PublishAsync(record, budget.Token).ConfigureAwait(false)) failures.Add(new SqsBatchItemFailure(record.MessageId));
        }

        return await SqsBatch.AnswerAsync(failures).ConfigureAwait(false);
    }

    private async Task<bool> PublishAsync(SqsRecord record, CancellationToken cancellationToken)
    {
        if (!Publisher.TryRead(record.Body, out var request, out var error))
        {
            PublishLog.Rejected(_logger, record.MessageId, error);
            return false;
        }
        try
        {
            var started = _metrics.TimeProvider.GetTimestamp();
            // The record's id is the same on every redelivery: the event's id, and the name of its fan-out's progress.
            var messageId = record.MessageId is { Length: > 0 } id ? id : Guid.NewGuid().ToString();
            var result = await _publisher.PublishAsync(request, messageId, cancellationToken).ConfigureAwait(false);
            InvocationMetrics.Current?.Observe(Metric.PublishLatency, _metrics.TimeProvider.GetElapsedTime(started).TotalMilliseconds);
            if (result.Report is { } report) PublishLog.Published(_logger, record.MessageId, request.Topic!, request.Event!, report.Delivered, report.Gone, report.Failed);
            else PublishLog.Queued(_logger, record.MessageId, request.Topic!, request.Event!, result.Shards);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped at the deadline: reported, so SQS delivers it again instead of timing out the whole batch.
            PublishLog.OutOfTime(_logger, record.MessageId, request.Topic!);
            return false;
        }
        catch (Exception e)
        {
            PublishLog.Failed(_logger, record.MessageId, request.Topic!, e);
            return false;
        }
    }
}
