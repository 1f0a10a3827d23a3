using System.Text;
using System.Text.Json.Nodes;
using Realtime.Testing.Functions;

namespace Realtime.Deployment.Tests.Infrastructure;

/// <summary>The events besides WebSocket proxy events that Lambda hands the functions: the authorizer's and the queue's.</summary>
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

    public static string Sqs(string body) => new JsonObject
    {
        ["Records"] = new JsonArray(new JsonObject
        {
            ["messageId"] = Guid.NewGuid().ToString(),
            ["receiptHandle"] = "AQEB",
            ["body"] = body,
            ["attributes"] = new JsonObject { ["ApproximateReceiveCount"] = "1" },
            ["messageAttributes"] = new JsonObject(),
            ["md5OfBody"] = Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(Encoding.UTF8.GetBytes(body))),
            ["eventSource"] = "aws:sqs",
            ["eventSourceARN"] = "arn:aws:sqs:us-east-1:123456789012:realtime-PublishQueue",
            ["awsRegion"] = "us-east-1",
        }),
    }.ToJsonString();
}
