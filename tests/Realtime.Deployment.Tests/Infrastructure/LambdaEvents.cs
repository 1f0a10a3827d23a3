using System.Text;
using System.Text.Json.Nodes;
using Realtime.Testing.Functions;

namespace Realtime.Deployment.Tests.Infrastructure;

/// <summary>The events besides WebSocket proxy events that Lambda hands the functions: the authorizer's and the queues'.</summary>
internal static class LambdaEvents
{
    public const string MethodArn = "arn:aws:execute-api:us-east-1:123456789012:abcde12345/prod/$connect";

    public static string Authorizer(string? queryToken) => new JsonObject
    {
        ["type"] = "REQUEST",
        ["methodArn"] = MethodArn,
        ["headers"] = new JsonObject { ["Host"] = ProxyEvents.DomainName },
        ["queryStringParameters"] = queryToken is null ? null : new JsonObject { ["token"] = queryToken },
        ["requestContext"] = new JsonObject
        {
            ["routeKey"] = "$connect",
            ["eventType"] = "CONNECT",
            ["connectionId"] = "authz-" + Guid.NewGuid().ToString("N")[..8],
            ["stage"] = ProxyEvents.Stage,
            ["domainName"] = ProxyEvents.DomainName,
            ["apiId"] = "abcde12345",
        },
    }.ToJsonString();

    /// <summary>A publish queue event of one record, as a backend's message arrives.</summary>
    public static string Sqs(string body) => new JsonObject
    {
        ["Records"] = new JsonArray(Record(body, Guid.NewGuid().ToString(), "arn:aws:sqs:us-east-1:123456789012:realtime-PublishQueue", receiveCount: 1)),
    }.ToJsonString();

    /// <summary>The event Lambda's poller makes of the messages it received together from <paramref name="queueArn"/>.</summary>
    public static string Sqs(IEnumerable<SqsMessage> messages, string queueArn) => new JsonObject
    {
        ["Records"] = new JsonArray(messages.Select(message => (JsonNode)Record(message.Body, message.MessageId, queueArn, message.ReceiveCount)).ToArray()),
    }.ToJsonString();

    private static JsonObject Record(string body, string messageId, string queueArn, int receiveCount) => new()
    {
        ["messageId"] = messageId,
        ["receiptHandle"] = "AQEB" + Convert.ToBase64String(Encoding.UTF8.GetBytes(messageId)),
        ["body"] = body,
        ["attributes"] = new JsonObject
        {
            ["ApproximateReceiveCount"] = receiveCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["SentTimestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["SenderId"] = "AROAEXAMPLE:realtime",
            ["ApproximateFirstReceiveTimestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
        },
        ["messageAttributes"] = new JsonObject(),
        ["md5OfBody"] = SqsQueues.Md5Of(body),
        ["eventSource"] = "aws:sqs",
        ["eventSourceARN"] = queueArn,
        ["awsRegion"] = "us-east-1",
    };
}
