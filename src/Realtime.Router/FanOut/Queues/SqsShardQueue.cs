using System.Text;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace Realtime.Router.FanOut;

/// <summary>
/// The shard queue on SQS (<c>REALTIME_SHARD_QUEUE_URL</c>): SendMessageBatch, ten shards or 256 KB at a time, and
/// each entry SQS refuses is sent again, so that every shard is queued or the call throws.
/// </summary>
public sealed class SqsShardQueue(IAmazonSQS sqs, Uri queueUrl) : IShardQueue
{
    public const string EnvironmentVariable = "REALTIME_SHARD_QUEUE_URL";

    private const int MaxEntries = 10;
    private const int MaxBatchBytes = 256 * 1024;
    private const int MaxAttempts = 4;

    public async Task SendAsync(IReadOnlyList<Shard> shards, CancellationToken cancellationToken)
    {
        var batch = new List<SendMessageBatchRequestEntry>(MaxEntries);
        var bytes = 0;
        foreach (var shard in shards)
        {
            var body = shard.ToBody();
            var size = Encoding.UTF8.GetByteCount(body);
            if (batch.Count == MaxEntries || (batch.Count > 0 && bytes + size > MaxBatchBytes))
            {
                await SendBatchAsync(batch, cancellationToken).ConfigureAwait(false);
                batch = new List<SendMessageBatchRequestEntry>(MaxEntries);
                bytes = 0;
            }
            batch.Add(new SendMessageBatchRequestEntry { Id = batch.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), MessageBody = body });
            bytes += size;
        }
        if (batch.Count > 0) await SendBatchAsync(batch, cancellationToken).ConfigureAwait(false);
    }

    private async Task SendBatchAsync(List<SendMessageBatchRequestEntry> entries, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var response = await sqs.SendMessageBatchAsync(new SendMessageBatchRequest { QueueUrl = queueUrl.ToString(), Entries = entries }, cancellationToken).ConfigureAwait(false);
            if (response.Failed is not { Count: > 0 } failed) return;
            var refused = failed.Where(f => f.SenderFault == true).ToList();
            if (refused.Count > 0 || attempt == MaxAttempts)
            {
                var first = refused.Count > 0 ? refused[0] : failed[0];
                throw new InvalidOperationException($"SQS did not take {failed.Count} shard(s) for {queueUrl}: {first.Code}: {first.Message}");
            }
            var again = failed.Select(f => f.Id).ToHashSet();
            entries = entries.Where(e => again.Contains(e.Id)).ToList();
            await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt), cancellationToken).ConfigureAwait(false);
        }
    }
}
