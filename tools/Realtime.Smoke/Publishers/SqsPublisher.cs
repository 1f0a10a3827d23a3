using Amazon;
using Amazon.Runtime;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace Realtime.Smoke.Publishers;

/// <summary>
/// The stack's publish queue (<c>PublishQueueUrl</c>), through the AWS SDK with its default credential chain
/// (environment, profile, SSO, container or instance role). The publish function picks the message up and fans it out.
/// </summary>
internal sealed class SqsPublisher(Uri queueUrl, string region) : IEventPublisher
{
    private readonly AmazonSQSClient _sqs = new(new AmazonSQSConfig { RegionEndpoint = RegionEndpoint.GetBySystemName(region) });

    public string Destination => $"SQS {queueUrl}";

    public string UndeliveredHint =>
        "the queue took it but it never reached this connection; see PublishFunction's logs and the dead-letter queue";

    public async Task<string> PublishAsync(string requestJson, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = queueUrl.ToString(), MessageBody = requestJson }, cancellationToken);
            return $"SQS message {response.MessageId}";
        }
        catch (AmazonServiceException e)
        {
            throw new StepFailedException($"SQS refused the message: {(int)e.StatusCode} {e.ErrorCode}: {e.Message}{Hint(e.ErrorCode)}");
        }
        catch (AmazonClientException e)
        {
            // Before any request: typically no credentials anywhere in the default chain.
            throw new StepFailedException($"cannot send to SQS: {e.Message}");
        }
        catch (HttpRequestException e)
        {
            throw new StepFailedException($"cannot reach SQS: {e.Message}");
        }
    }

    /// <summary>The region of <c>https://sqs.{region}.amazonaws.com/...</c> or <c>https://{region}.queue.amazonaws.com/...</c>; null for any other host.</summary>
    public static string? RegionOf(Uri queueUrl)
    {
        var labels = queueUrl.Host.Split('.');
        if (labels.Length < 4 || !queueUrl.Host.Contains(".amazonaws.com", StringComparison.OrdinalIgnoreCase)) return null;
        if (labels[0].Equals("sqs", StringComparison.OrdinalIgnoreCase)) return labels[1].ToLowerInvariant();
        if (labels[1].Equals("queue", StringComparison.OrdinalIgnoreCase)) return labels[0].ToLowerInvariant();
        return null;
    }

    private static string Hint(string? errorCode) => errorCode switch
    {
        "AccessDenied" or "AccessDeniedException" => " (these credentials may not sqs:SendMessage to the queue)",
        "InvalidClientTokenId" or "UnrecognizedClientException" or "ExpiredToken" or "ExpiredTokenException" or "SignatureDoesNotMatch"
            => " (the credentials are not valid: expired, or for another partition)",
        "AWS.SimpleQueueService.NonExistentQueue" or "QueueDoesNotExist"
            => " (no such queue: a deleted stack, or the outputs of another account or region)",
        _ => "",
    };

    public void Dispose() => _sqs.Dispose();
}
