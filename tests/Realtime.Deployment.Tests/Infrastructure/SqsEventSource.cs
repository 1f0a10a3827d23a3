using System.Text.Json.Nodes;
using Realtime.Testing.Lambda;

namespace Realtime.Deployment.Tests.Infrastructure;

/// <summary>One invocation the event source made: the messages it handed over, the answer, the ids reported failed.</summary>
public sealed record PolledBatch(IReadOnlyList<SqsMessage> Messages, InvocationOutcome Outcome, IReadOnlyList<string> Failed);

/// <summary>
/// Lambda's SQS event source mapping of one function, as the template's <c>SQS</c> event configures it: takes up to
/// <c>BatchSize</c> waiting messages of the queue at a time, invokes the function with them (its <c>Timeout</c> as the
/// invocation's deadline), deletes what succeeded and, with <c>ReportBatchItemFailures</c>, makes the records the
/// function listed in <c>batchItemFailures</c> visible again (all of them when the invocation failed as a whole),
/// until a message has been received <c>maxReceiveCount</c> times and goes to the dead-letter queue. One invocation at
/// a time: a function process is one Lambda instance.
/// </summary>
public sealed class SqsEventSource
{
    private readonly SqsQueues _queues;
    private readonly FunctionProcess _function;

    private SqsEventSource(SqsQueues queues, string queueId, FunctionProcess function, int batchSize, TimeSpan timeout)
    {
        _queues = queues;
        _function = function;
        QueueId = queueId;
        BatchSize = batchSize;
        Timeout = timeout;
    }

    public string QueueId { get; }

    public int BatchSize { get; }

    public TimeSpan Timeout { get; }

    /// <summary>The event source of <paramref name="functionId"/>'s one SQS event in <paramref name="template"/>.</summary>
    public static SqsEventSource Of(JsonObject template, string functionId, SqsQueues queues, FunctionProcess function)
    {
        var properties = SamTemplate.Function(template, functionId)["Properties"]!;
        var sqs = Assert.Single(properties["Events"]!.AsObject(), e => e.Value!["Type"]!.GetValue<string>() == "SQS").Value!["Properties"]!;
        Assert.Contains("ReportBatchItemFailures", sqs["FunctionResponseTypes"]!.AsArray().Select(type => type!.GetValue<string>()));
        var queueId = sqs["Queue"]!["Fn::GetAtt"]![0]!.GetValue<string>();
        var timeout = (properties["Timeout"] ?? template["Globals"]!["Function"]!["Timeout"])!.GetValue<int>();
        return new SqsEventSource(queues, queueId, function, sqs["BatchSize"]?.GetValue<int>() ?? 10, TimeSpan.FromSeconds(timeout));
    }

    /// <summary>Invokes the function until its queue is empty; fails the test past <paramref name="maxInvocations"/>.</summary>
    /// <param name="deadline">The deadline of each invocation; the function's Timeout by default.</param>
    public async Task<IReadOnlyList<PolledBatch>> DrainAsync(int maxInvocations = 200, TimeSpan? deadline = null)
    {
        var batches = new List<PolledBatch>();
        while (_queues.Waiting(QueueId) > 0)
        {
            Assert.True(batches.Count < maxInvocations, $"{QueueId} still has {_queues.Waiting(QueueId)} messages after {maxInvocations} invocations.");
            batches.Add(await PollOnceAsync(deadline));
        }
        return batches;
    }

    /// <summary>One invocation with the next messages waiting, or none when the queue is empty.</summary>
    public async Task<PolledBatch> PollOnceAsync(TimeSpan? deadline = null)
    {
        var messages = new List<SqsMessage>();
        while (messages.Count < BatchSize && _queues.TryReceive(QueueId, out var message)) messages.Add(message);
        Assert.NotEmpty(messages);

        // Bounded by the invocation's own deadline (and some), not the shorter default of FunctionProcess.InvokeAsync.
        var outcome = await _function.RuntimeApi.InvokeAsync(LambdaEvents.Sqs(messages, _queues.ArnOf(QueueId)), deadline ?? Timeout)
            .DefaultTimeout((deadline ?? Timeout) + TimeSpan.FromSeconds(30));
        var failed = outcome.IsError
            ? messages.Select(message => message.MessageId).ToList()
            : outcome.Json["batchItemFailures"]!.AsArray().Select(failure => failure!["itemIdentifier"]!.GetValue<string>()).ToList();
        foreach (var message in messages.Where(message => failed.Contains(message.MessageId))) _queues.Return(QueueId, message);
        return new PolledBatch(messages, outcome, failed);
    }
}
