using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using static Realtime.Connect.Registry.DynamoDb.ConnectionItem;

namespace Realtime.Connect.Registry.DynamoDb;

/// <summary>
/// The ledger on the registry's table: one item per range, <c>DELIVERY#{messageId}#{after}..{until}</c> /
/// <c>RANGE</c>, outside the index (it has no GSI1 keys). Every operation is one conditional
/// UpdateItem, so a claim, a save and a split are each atomic; items expire through the table's TTL a day on.
/// </summary>
public sealed class DynamoDbDeliveryLedger(IAmazonDynamoDB dynamoDb, string tableName, TimeProvider timeProvider) : IDeliveryLedger
{
    private const string Owner = "leaseOwner";
    private const string LeaseUntil = "leaseUntil";
    // Names clear of DynamoDB's reserved words (CURSOR is one).
    private const string Cursor = "deliveredUpTo";
    private const string Done = "rangeDone";
    private const string Pending = "pendingIds";
    private const string Boundaries = "shardBoundaries";
    private const string More = "moreAfter";
    private static readonly TimeSpan Kept = TimeSpan.FromDays(1);
    private static readonly Dictionary<string, string> TtlNames = new() { ["#ttl"] = ItemKeys.Ttl };

    public async Task<DeliveryProgress?> ClaimAsync(DeliveryRange range, string owner, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        try
        {
            var response = await dynamoDb.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = tableName,
                Key = KeyOf(range),
                UpdateExpression = $"SET {Owner} = :owner, {LeaseUntil} = :lease, #ttl = if_not_exists(#ttl, :ttl)",
                ConditionExpression = $"attribute_not_exists({Owner}) OR {Owner} = :owner OR {LeaseUntil} < :now",
                ExpressionAttributeNames = TtlNames,
                ExpressionAttributeValues = new()
                {
                    [":owner"] = S(owner),
                    [":lease"] = N(leaseUntil.ToUnixTimeMilliseconds()),
                    [":now"] = N(timeProvider.GetUtcNow().ToUnixTimeMilliseconds()),
                    [":ttl"] = N(Expiry()),
                },
                ReturnValues = ReturnValue.ALL_NEW,
            }, cancellationToken).ConfigureAwait(false);
            var item = response.Attributes ?? [];
            return new DeliveryProgress(
                item.TryGetValue(Cursor, out var cursor) ? cursor.S : null,
                item.TryGetValue(Done, out var done) && done.BOOL == true,
                item.TryGetValue(Pending, out var pending) ? (pending.L ?? []).Select(p => p.S).ToList() : []);
        }
        catch (ConditionalCheckFailedException)
        {
            return null;
        }
    }

    public Task SaveAsync(DeliveryRange range, string owner, string cursor, IReadOnlyList<string> pending, DateTimeOffset leaseUntil, CancellationToken cancellationToken) =>
        UpdateHeldAsync(range, owner, $"SET {Cursor} = :cursor, {Pending} = :pending, {LeaseUntil} = :lease", new()
        {
            [":cursor"] = S(cursor),
            [":pending"] = List(pending),
            [":lease"] = N(leaseUntil.ToUnixTimeMilliseconds()),
        }, cancellationToken);

    public Task ReleaseAsync(DeliveryRange range, string owner, string? cursor, IReadOnlyList<string> pending, bool done, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, AttributeValue> { [":done"] = new() { BOOL = done } };
        var set = done ? $"SET {Done} = :done" : null;
        if (cursor is not null)
        {
            values[":cursor"] = S(cursor);
            values[":pending"] = List(pending);
            set = set is null ? $"SET {Cursor} = :cursor, {Pending} = :pending" : $"{set}, {Cursor} = :cursor, {Pending} = :pending";
        }
        if (!done) values.Remove(":done");
        return UpdateHeldAsync(range, owner, $"{set} REMOVE {LeaseUntil}, {Owner}".TrimStart(), values, cancellationToken);
    }

    public async Task<DeliverySplit> SplitAsync(DeliveryRange range, DeliverySplit proposed, CancellationToken cancellationToken)
    {
        var response = await dynamoDb.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = tableName,
            Key = KeyOf(range),
            // if_not_exists: the first split recorded stands; this answer carries whichever that is.
            UpdateExpression = $"SET {Boundaries} = if_not_exists({Boundaries}, :boundaries), {More} = if_not_exists({More}, :more), #ttl = if_not_exists(#ttl, :ttl)",
            ExpressionAttributeNames = TtlNames,
            ExpressionAttributeValues = new()
            {
                [":boundaries"] = new() { L = proposed.Boundaries.Select(S).ToList() },
                [":more"] = new() { BOOL = proposed.More },
                [":ttl"] = N(Expiry()),
            },
            ReturnValues = ReturnValue.ALL_NEW,
        }, cancellationToken).ConfigureAwait(false);
        var item = response.Attributes ?? [];
        return new DeliverySplit(
            item.TryGetValue(Boundaries, out var boundaries) ? (boundaries.L ?? []).Select(b => b.S).ToList() : [],
            item.TryGetValue(More, out var more) && more.BOOL == true);
    }

    private async Task UpdateHeldAsync(DeliveryRange range, string owner, string update, Dictionary<string, AttributeValue> values, CancellationToken cancellationToken)
    {
        values[":owner"] = S(owner);
        try
        {
            await dynamoDb.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = tableName,
                Key = KeyOf(range),
                UpdateExpression = update,
                ConditionExpression = $"{Owner} = :owner",
                ExpressionAttributeValues = values,
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException)
        {
            throw new LeaseLostException(range);
        }
    }

    private static AttributeValue List(IReadOnlyList<string> values) => new() { L = values.Select(S).ToList() };

    private long Expiry() => (timeProvider.GetUtcNow() + Kept).ToUnixTimeSeconds();

    // The range is in the partition key: the shards of one message are saved by many invocations at once, and one
    // partition takes about 1,000 writes a second.
    private static Dictionary<string, AttributeValue> KeyOf(DeliveryRange range) => new()
    {
        [ItemKeys.PK] = S($"DELIVERY#{range.MessageId}#{range.After}..{range.Until}"),
        [ItemKeys.SK] = S("RANGE"),
    };
}
