using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using static Realtime.Connect.Registry.DynamoDb.ConnectionItem;

namespace Realtime.Connect.Registry.DynamoDb;

/// <summary>
/// A message counter in one item, per one-second window, kept by conditional UpdateItems so that concurrent Lambda
/// invocations count together: within the window, one update adds one while the count is under the limit; in a new
/// window, a second update starts the count again. Usually one write per message, two at a window's first message.
/// </summary>
internal static class MessageCounter
{
    private const string WindowName = "#window";
    private const string CountName = "#count";
    private const string TtlName = "#ttl";

    private static readonly Dictionary<string, string> Names = new()
    {
        [WindowName] = ItemKeys.MessageWindow,
        [CountName] = ItemKeys.MessageCount,
    };

    /// <param name="mustExist">Count only in an existing item (a connection's); a missing one is not counted and passes.</param>
    /// <param name="expiresAt">When to let the TTL delete the item, for a counter that has an item of its own.</param>
    public static async Task<bool> TryCountAsync(
        IAmazonDynamoDB dynamoDb, string table, Dictionary<string, AttributeValue> key, int limit, DateTimeOffset now, bool mustExist, DateTimeOffset? expiresAt,
        CancellationToken cancellationToken)
    {
        var window = N(now.ToUnixTimeSeconds());
        for (var attempt = 0; attempt < 2; attempt++)
        {
            Dictionary<string, AttributeValue>? current;
            try
            {
                await dynamoDb.UpdateItemAsync(new UpdateItemRequest
                {
                    TableName = table,
                    Key = key,
                    UpdateExpression = $"SET {CountName} = {CountName} + :one",
                    ConditionExpression = $"{WindowName} = :window AND {CountName} < :limit",
                    ExpressionAttributeNames = Names,
                    ExpressionAttributeValues = new() { [":one"] = N(1), [":window"] = window, [":limit"] = N(limit) },
                    ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD,
                }, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (ConditionalCheckFailedException e)
            {
                current = e.Item;
            }

            if (current is not { Count: > 0 } && mustExist) return true; // not a recorded connection: nothing to count
            if (current is { Count: > 0 } && current.TryGetValue(ItemKeys.MessageWindow, out var seen) && seen.N == window.N)
            {
                return false; // this window's count is at the limit
            }

            try
            {
                var names = new Dictionary<string, string>(Names);
                var values = new Dictionary<string, AttributeValue> { [":one"] = N(1), [":window"] = window };
                var set = $"SET {WindowName} = :window, {CountName} = :one";
                if (expiresAt is { } expiry)
                {
                    names[TtlName] = ItemKeys.Ttl;
                    values[":expires"] = N(expiry.ToUnixTimeSeconds());
                    set += $", {TtlName} = :expires";
                }
                await dynamoDb.UpdateItemAsync(new UpdateItemRequest
                {
                    TableName = table,
                    Key = key,
                    UpdateExpression = set,
                    ConditionExpression = (mustExist ? $"attribute_exists({ItemKeys.PK}) AND " : "") + $"(attribute_not_exists({WindowName}) OR {WindowName} < :window)",
                    ExpressionAttributeNames = names,
                    ExpressionAttributeValues = values,
                }, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (ConditionalCheckFailedException)
            {
                // Another invocation started this window first: count in it.
            }
        }
        return false;
    }
}
