using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Realtime.Router.Publishing;

/// <summary>Reading Lambda's SQS event and writing its partial-batch answer, for the queue-fed functions.</summary>
internal static class SqsBatch
{
    /// <summary>
    /// The event's records. Input that is not an SQS event at all fails the invocation (logged): Lambda retries the
    /// whole batch, then the dead-letter queue keeps it.
    /// </summary>
    public static async Task<IList<SqsRecord>> ReadAsync(Stream input, ILogger logger)
    {
        try
        {
            var sqsEvent = await JsonSerializer.DeserializeAsync(input, RouterJsonContext.Default.SqsEvent).ConfigureAwait(false);
            return sqsEvent?.Records ?? [];
        }
        catch (JsonException e)
        {
            PublishLog.MalformedBatch(logger, e.Message);
            throw;
        }
    }

    /// <summary>The <c>batchItemFailures</c> answer: the records listed come back; the others are deleted.</summary>
    public static async Task<Stream> AnswerAsync(IList<SqsBatchItemFailure> failures)
    {
        var output = new MemoryStream();
        await JsonSerializer.SerializeAsync(output, new SqsBatchResponse { BatchItemFailures = failures }, RouterJsonContext.Default.SqsBatchResponse).ConfigureAwait(false);
        output.Position = 0;
        return output;
    }
}
