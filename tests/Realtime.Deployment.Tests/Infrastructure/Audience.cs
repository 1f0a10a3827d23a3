using System.Globalization;
using Amazon.DynamoDBv2.Model;
using Realtime.Testing.DynamoDb;
using Realtime.Testing.Functions;

namespace Realtime.Deployment.Tests.Infrastructure;

/// <summary>
/// An audience too large to gather through the functions one subscribe at a time, written straight into the shared
/// table as the registry writes its own items (docs/registry.md): per connection its <c>META</c> item and its
/// subscription item (<c>CONN#{id}</c> / <c>TOPIC#{topic}</c>, in GSI1 under <c>TOPIC#{topic}</c>), connected through
/// the stage the functions are configured with. Written with BatchWriteItem, bypassing the functions' recorders, so
/// what the functions then do is all their recorders see.
/// </summary>
public static class Audience
{
    private const int BatchWriteLimit = 25;

    /// <summary>Connects and subscribes every one of <paramref name="connectionIds"/> to <paramref name="topic"/>.</summary>
    public static async Task SubscribeAsync(DynamoDbLocal dynamoDb, string topic, IReadOnlyList<string> connectionIds)
    {
        using var client = dynamoDb.CreateClient();
        var now = DateTimeOffset.UtcNow;
        var items = connectionIds.SelectMany(id => new[] { Meta(id, now), Subscription(id, topic, now) }).ToList();
        var batches = items.Chunk(BatchWriteLimit).ToList();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (batch, token) =>
        {
            var pending = new Dictionary<string, List<WriteRequest>>
            {
                [dynamoDb.TableName] = batch.Select(item => new WriteRequest { PutRequest = new PutRequest { Item = item } }).ToList(),
            };
            for (var attempt = 1; pending.Count > 0; attempt++)
            {
                Assert.True(attempt <= 10, "DynamoDB Local left items unprocessed ten times.");
                var response = await client.BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = pending }, token);
                pending = response.UnprocessedItems is { Count: > 0 } unprocessed ? unprocessed : [];
            }
        }).DefaultTimeout(TimeSpan.FromMinutes(3));
    }

    /// <summary>The connection's items left in the table: none once the registry has forgotten it.</summary>
    public static async Task<int> ItemsOfAsync(DynamoDbLocal dynamoDb, string connectionId)
    {
        using var client = dynamoDb.CreateClient();
        var response = await client.QueryAsync(new QueryRequest
        {
            TableName = dynamoDb.TableName,
            KeyConditionExpression = "PK = :pk",
            ExpressionAttributeValues = new() { [":pk"] = S("CONN#" + connectionId) },
        }).DefaultTimeout();
        return response.Items?.Count ?? 0;
    }

    private static Dictionary<string, AttributeValue> Meta(string connectionId, DateTimeOffset now)
    {
        var item = Connection(connectionId, now);
        item["PK"] = S("CONN#" + connectionId);
        item["SK"] = S("META");
        item["GSI1PK"] = S("USER#" + UserOf(connectionId));
        item["GSI1SK"] = S("CONN#" + connectionId);
        item["subscriptions"] = N(1);
        return item;
    }

    private static Dictionary<string, AttributeValue> Subscription(string connectionId, string topic, DateTimeOffset now)
    {
        var item = Connection(connectionId, now);
        item["PK"] = S("CONN#" + connectionId);
        item["SK"] = S("TOPIC#" + topic);
        item["GSI1PK"] = S("TOPIC#" + topic);
        item["GSI1SK"] = S("CONN#" + connectionId);
        item["topic"] = S(topic);
        return item;
    }

    private static Dictionary<string, AttributeValue> Connection(string connectionId, DateTimeOffset now) => new()
    {
        ["connectionId"] = S(connectionId),
        ["userId"] = S(UserOf(connectionId)),
        ["connectedAt"] = N(now.ToUnixTimeMilliseconds()),
        ["domainName"] = S(ProxyEvents.DomainName),
        ["stage"] = S(ProxyEvents.Stage),
        ["sourceIp"] = S("203.0.113.10"),
        ["ttl"] = N((now + TimeSpan.FromHours(2)).ToUnixTimeSeconds()),
    };

    private static string UserOf(string connectionId) => "user-" + connectionId;

    private static AttributeValue S(string value) => new() { S = value };

    private static AttributeValue N(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };
}
