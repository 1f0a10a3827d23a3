using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Realtime.Deployment.Tests.Infrastructure;

/// <summary>One message a queue accepted: the id SQS gave it, its body, who sent it and how often it was received.</summary>
public sealed record SqsMessage(string MessageId, string Body, string SentBy)
{
    public string Md5OfBody { get; } = SqsQueues.Md5Of(Body);

    /// <summary>How many times Lambda's poller has handed it out (SQS's ApproximateReceiveCount).</summary>
    public int ReceiveCount { get; set; }
}

/// <summary>
/// The standard queues of a stack, by template logical id, as SQS would hold them: each named as CloudFormation
/// names a queue (<c>{stack}-{logicalId}-{suffix}</c>), with the URL and ARN SQS gives it. What the functions send
/// through their <see cref="SqsStandIn"/> lands here, and the tests take it off as Lambda's poller would
/// (<see cref="TryReceive"/>), give it back when an invocation reported it failed, and dead-letter it after the
/// queue's <c>maxReceiveCount</c>.
/// </summary>
public sealed class SqsQueues
{
    public const string Region = "us-east-1";
    public const string Account = "123456789012";

    /// <summary>The template's <c>maxReceiveCount</c>: a message received this often and failed goes to the dead-letter queue.</summary>
    public const int MaxReceiveCount = 5;

    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<SqsMessage>> _waiting = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<SqsMessage>> _sent = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<SqsMessage>> _deadLetters = new(StringComparer.Ordinal);

    public SqsQueues(params IEnumerable<string> logicalIds)
    {
        var suffix = Guid.NewGuid().ToString("N")[..12].ToUpperInvariant();
        foreach (var logicalId in logicalIds)
        {
            _names[logicalId] = $"realtime-{logicalId}-{suffix}";
            _waiting[logicalId] = new();
            _sent[logicalId] = new();
            _deadLetters[logicalId] = new();
        }
    }

    public IEnumerable<string> LogicalIds => _names.Keys;

    public string UrlOf(string logicalId) => $"https://sqs.{Region}.amazonaws.com/{Account}/{_names[logicalId]}";

    public string ArnOf(string logicalId) => $"arn:aws:sqs:{Region}:{Account}:{_names[logicalId]}";

    /// <summary>The logical id of the queue at <paramref name="url"/>, or null when the stack has no such queue.</summary>
    public string? LogicalIdOf(string? url) => _names.Keys.FirstOrDefault(id => UrlOf(id) == url);

    /// <summary>Every message the queue ever accepted, in the order it accepted them.</summary>
    public IReadOnlyList<SqsMessage> Sent(string logicalId) => _sent[logicalId].ToArray();

    /// <summary>Messages that were received <see cref="MaxReceiveCount"/> times without success.</summary>
    public IReadOnlyList<SqsMessage> DeadLetters(string logicalId) => _deadLetters[logicalId].ToArray();

    public int Waiting(string logicalId) => _waiting[logicalId].Count;

    /// <summary>Takes the oldest waiting message, as the poller does, counting the receive.</summary>
    public bool TryReceive(string logicalId, out SqsMessage message)
    {
        if (!_waiting[logicalId].TryDequeue(out message!)) return false;
        message.ReceiveCount++;
        return true;
    }

    /// <summary>
    /// A received message the function reported in <c>batchItemFailures</c> (or failed as a whole): visible again,
    /// or, after <see cref="MaxReceiveCount"/> receives, in the dead-letter queue.
    /// </summary>
    public void Return(string logicalId, SqsMessage message) =>
        (message.ReceiveCount >= MaxReceiveCount ? _deadLetters : _waiting)[logicalId].Enqueue(message);

    internal SqsMessage Accept(string logicalId, string body, string sentBy)
    {
        var message = new SqsMessage(Guid.NewGuid().ToString(), body, sentBy);
        _sent[logicalId].Enqueue(message);
        _waiting[logicalId].Enqueue(message);
        return message;
    }

    public static string Md5Of(string body) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(body)));
}

/// <summary>
/// Just enough of SQS on a loopback port for one function, which finds it through <c>AWS_ENDPOINT_URL_SQS</c> (the AWS
/// SDKs' service-specific endpoint setting, which AWSSDK.Core 4 reads even when the client names its region): the JSON
/// protocol (<c>POST /</c>, <c>X-Amz-Target: AmazonSQS.{Operation}</c>, <c>application/x-amz-json-1.0</c>), requests
/// signed for <c>sqs</c> in the stack's region, <c>SendMessage</c> and <c>SendMessageBatch</c> into
/// <see cref="SqsQueues"/> with SQS's own checks (1 to 10 entries with distinct, well-formed ids; at most 262,144 bytes;
/// only the characters SQS allows) and its answers, the body's MD5 included, which the SDK verifies. Like the DynamoDB
/// recorder it writes down the IAM permission each request needs, the way IAM authorizes it: a batch is authorized
/// as its single action (<c>sqs:SendMessage</c> for <c>SendMessageBatch</c>), on the queue the request names. Any other
/// operation is recorded too and refused, so a function that needs more than the template grants fails its tests.
/// </summary>
public sealed partial class SqsStandIn : IAsyncDisposable
{
    /// <summary>
    /// The smallest payload limit SQS has had, per message and per batch: it allows 1 MiB since 2025, and the functions
    /// keep to 256 KiB, which every queue accepts whatever its MaximumMessageSize.
    /// </summary>
    public const int MaxPayloadBytes = 262_144;

    private const string JsonContentType = "application/x-amz-json-1.0";

    private readonly WebApplication _app;
    private readonly SqsQueues _queues;
    private readonly string _caller;
    private readonly ConcurrentDictionary<IamUse, int> _uses = new();
    private readonly ConcurrentQueue<string> _operations = new();

    private SqsStandIn(WebApplication app, SqsQueues queues, string caller)
    {
        _app = app;
        _queues = queues;
        _caller = caller;
    }

    /// <summary>The value of <c>AWS_ENDPOINT_URL_SQS</c> for the function.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>The IAM permissions the function's requests needed: <c>sqs:{Action}</c> on <c>queue/{logical id}</c>.</summary>
    public IReadOnlySet<IamUse> Uses => _uses.Keys.ToHashSet();

    /// <summary>Every operation the function called, in order.</summary>
    public IReadOnlyList<string> Operations => _operations.ToArray();

    /// <param name="queues">The stack's queues.</param>
    /// <param name="caller">The function this endpoint serves; its messages are marked as sent by it.</param>
    public static async Task<SqsStandIn> StartAsync(SqsQueues queues, string caller)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var sqs = new SqsStandIn(app, queues, caller);
        app.Run(sqs.HandleAsync);
        await app.StartAsync().DefaultTimeout();
        sqs.Endpoint = new Uri(app.Urls.Single());
        return sqs;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var target = request.Headers["X-Amz-Target"].ToString();
        if (request.Method != "POST" || request.Path != "/" || !target.StartsWith("AmazonSQS.", StringComparison.Ordinal))
        {
            await ErrorAsync(context, 400, "InvalidAction", "AWS.SimpleQueueService.InvalidAction", $"Not an SQS JSON request: {request.Method} {request.Path} {target}.");
            return;
        }
        if (!string.Equals(request.ContentType, JsonContentType, StringComparison.OrdinalIgnoreCase))
        {
            await ErrorAsync(context, 400, "InvalidParameterValue", "InvalidParameterValue", $"Content-Type {request.ContentType} is not {JsonContentType}.");
            return;
        }
        var authorization = request.Headers.Authorization.ToString();
        if (!SignedForSqs().IsMatch(authorization))
        {
            await ErrorAsync(context, 403, "InvalidSecurity", "AWS.SimpleQueueService.InvalidSecurity", $"The request is not signed for sqs in {SqsQueues.Region}: '{authorization}'.");
            return;
        }

        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        var json = JsonNode.Parse(body.ToArray())!.AsObject();
        var operation = target["AmazonSQS.".Length..];
        _operations.Enqueue(operation);
        var queueUrl = json["QueueUrl"]?.GetValue<string>();
        var queue = _queues.LogicalIdOf(queueUrl);
        // IAM has no batch actions: a batch needs the action of its entries.
        var action = operation.EndsWith("Batch", StringComparison.Ordinal) ? operation[..^"Batch".Length] : operation;
        _uses.AddOrUpdate(new IamUse($"sqs:{action}", $"queue/{queue ?? queueUrl ?? "(none)"}"), 1, (_, n) => n + 1);

        if (queue is null)
        {
            await ErrorAsync(context, 400, "QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue", $"The specified queue does not exist: {queueUrl}.");
            return;
        }
        switch (operation)
        {
            case "SendMessage":
                await SendMessageAsync(context, queue, json);
                break;
            case "SendMessageBatch":
                await SendMessageBatchAsync(context, queue, json);
                break;
            default:
                await ErrorAsync(context, 400, "UnsupportedOperation", "AWS.SimpleQueueService.UnsupportedOperation", $"The stand-in answers SendMessage and SendMessageBatch only, not {operation}.");
                break;
        }
    }

    private async Task SendMessageAsync(HttpContext context, string queue, JsonObject json)
    {
        var body = json["MessageBody"]?.GetValue<string>() ?? "";
        if (ProblemWith(body) is { } problem)
        {
            await ErrorAsync(context, 400, problem.Type, problem.Type, problem.Message);
            return;
        }
        var message = _queues.Accept(queue, body, _caller);
        await AnswerAsync(context, new JsonObject { ["MessageId"] = message.MessageId, ["MD5OfMessageBody"] = message.Md5OfBody });
    }

    private async Task SendMessageBatchAsync(HttpContext context, string queue, JsonObject json)
    {
        var entries = json["Entries"]?.AsArray() ?? [];
        var ids = entries.Select(entry => entry?["Id"]?.GetValue<string>() ?? "").ToList();
        (string Type, string Code, string Message)? refusal = entries.Count switch
        {
            0 => ("EmptyBatchRequest", "AWS.SimpleQueueService.EmptyBatchRequest", "There should be at least one SendMessageBatchRequestEntry in the request."),
            > 10 => ("TooManyEntriesInBatchRequest", "AWS.SimpleQueueService.TooManyEntriesInBatchRequest", $"Maximum number of entries per request are 10. You have sent {entries.Count}."),
            _ when ids.Any(id => !BatchEntryId().IsMatch(id)) => ("InvalidBatchEntryId", "AWS.SimpleQueueService.InvalidBatchEntryId", "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long."),
            _ when ids.Distinct(StringComparer.Ordinal).Count() != ids.Count => ("BatchEntryIdsNotDistinct", "AWS.SimpleQueueService.BatchEntryIdsNotDistinct", "Two or more batch entries in the request have the same Id."),
            _ when entries.Sum(entry => Encoding.UTF8.GetByteCount(entry?["MessageBody"]?.GetValue<string>() ?? "")) > MaxPayloadBytes
                => ("BatchRequestTooLong", "AWS.SimpleQueueService.BatchRequestTooLong", $"Batch requests cannot be longer than {MaxPayloadBytes} bytes."),
            _ => null,
        };
        if (refusal is { } refused)
        {
            await ErrorAsync(context, 400, refused.Type, refused.Code, refused.Message);
            return;
        }

        var successful = new JsonArray();
        var failed = new JsonArray();
        foreach (var entry in entries)
        {
            var id = entry!["Id"]!.GetValue<string>();
            var body = entry["MessageBody"]?.GetValue<string>() ?? "";
            if (ProblemWith(body) is { } problem)
            {
                failed.Add(new JsonObject { ["Id"] = id, ["SenderFault"] = true, ["Code"] = problem.Type, ["Message"] = problem.Message });
                continue;
            }
            var message = _queues.Accept(queue, body, _caller);
            successful.Add(new JsonObject { ["Id"] = id, ["MessageId"] = message.MessageId, ["MD5OfMessageBody"] = message.Md5OfBody });
        }
        await AnswerAsync(context, new JsonObject { ["Successful"] = successful, ["Failed"] = failed });
    }

    /// <summary>What SQS would refuse in one message body, or null.</summary>
    private static (string Type, string Message)? ProblemWith(string body)
    {
        if (body.Length == 0) return ("MissingParameter", "The request must contain the parameter MessageBody.");
        if (Encoding.UTF8.GetByteCount(body) > MaxPayloadBytes) return ("InvalidParameterValue", $"One or more parameters are invalid. Reason: Message must be shorter than {MaxPayloadBytes} bytes.");
        // #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF
        foreach (var rune in body.EnumerateRunes())
        {
            var c = rune.Value;
            if (!(c is 0x9 or 0xA or 0xD || c is >= 0x20 and <= 0xD7FF || c is >= 0xE000 and <= 0xFFFD || c is >= 0x10000 and <= 0x10FFFF))
                return ("InvalidMessageContents", $"Invalid binary character '#x{c:X}' was found in the message body.");
        }
        return null;
    }

    private static Task AnswerAsync(HttpContext context, JsonObject answer)
    {
        context.Response.ContentType = JsonContentType;
        return context.Response.WriteAsync(answer.ToJsonString());
    }

    /// <summary>An SQS JSON-protocol error: the shape type in the body, the query-compatible code in its own header.</summary>
    private static Task ErrorAsync(HttpContext context, int status, string type, string queryCode, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = JsonContentType;
        context.Response.Headers["x-amzn-query-error"] = $"{queryCode};{(status < 500 ? "Sender" : "Receiver")}";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, string> { ["__type"] = $"com.amazonaws.sqs#{type}", ["message"] = message }));
    }

    [GeneratedRegex(@"^AWS4-HMAC-SHA256 Credential=[^/,\s]+/\d{8}/us-east-1/sqs/aws4_request, ?SignedHeaders=[^,\s]+, ?Signature=[0-9a-f]{64}$")]
    private static partial Regex SignedForSqs();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,80}$")]
    private static partial Regex BatchEntryId();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().DefaultTimeout();
        await _app.DisposeAsync().DefaultTimeout();
    }
}
