using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using static Realtime.Connect.Registry.DynamoDb.ConnectionItem;

namespace Realtime.Connect.Registry.DynamoDb;

/// <summary>
/// The registry on one DynamoDB table (see <see cref="ItemKeys"/>). Connect is one conditional PutItem; disconnect is
/// one Query on the connection's partition plus BatchWriteItem; listing a topic or a user is a paginated Query on
/// GSI1. Nothing scans. TTL deletes expired items eventually; until then every read filters them out.
/// </summary>
public sealed class DynamoDbConnectionRegistry(
    IAmazonDynamoDB dynamoDb,
    DynamoDbRegistryOptions tableOptions,
    RegistryOptions options,
    TimeProvider timeProvider) : IConnectionRegistry
{
    private const int BatchWriteLimit = 25;
    private const string TtlName = "#ttl";
    private const string SubscriptionsName = "#subscriptions";
    private static readonly Dictionary<string, string> TtlNames = new() { [TtlName] = ItemKeys.Ttl };
    private static readonly Dictionary<string, string> SubscriptionsNames = new() { [SubscriptionsName] = ItemKeys.Subscriptions };

    private readonly string _table = tableOptions.TableName;

    public async Task AddAsync(Connection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var now = timeProvider.GetUtcNow();
        try
        {
            await dynamoDb.PutItemAsync(new PutItemRequest
            {
                TableName = _table,
                Item = Meta(connection, options.ExpiryOf(connection)),
                // A record past its TTL that DynamoDB has not deleted yet does not count as existing.
                ConditionExpression = $"attribute_not_exists({ItemKeys.PK}) OR {TtlName} <= :now",
                ExpressionAttributeNames = TtlNames,
                ExpressionAttributeValues = new() { [":now"] = N(now.ToUnixTimeSeconds()) },
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException)
        {
            throw new ConnectionExistsException(connection.ConnectionId);
        }
    }

    public async Task<Connection?> GetAsync(string connectionId, CancellationToken cancellationToken)
    {
        var item = await GetMetaAsync(connectionId, cancellationToken).ConfigureAwait(false);
        return item is null ? null : ToConnection(item);
    }

    public async Task<bool> RemoveAsync(string connectionId, CancellationToken cancellationToken)
    {
        var (subscriptions, meta) = await ItemsOfAsync(connectionId, cancellationToken).ConfigureAwait(false);
        if (meta is null && subscriptions.Count == 0) return false;

        // The connection's own item goes last: if cleanup fails half-way, the connection is still recorded and a
        // retried $disconnect (or the TTL) finishes the job; no subscription outlives its connection unseen.
        if (meta is not null) subscriptions.Add(KeyOf(meta));
        await DeleteAllAsync(subscriptions, cancellationToken).ConfigureAwait(false);
        return meta is not null && !IsExpired(meta, timeProvider.GetUtcNow());
    }

    public async Task<int> RemoveAllAsync(IReadOnlyCollection<string> connectionIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connectionIds);
        var found = new List<(List<Dictionary<string, AttributeValue>> Subscriptions, Dictionary<string, AttributeValue>? Meta)>(connectionIds.Count);
        foreach (var connectionId in connectionIds.Distinct(StringComparer.Ordinal))
        {
            found.Add(await ItemsOfAsync(connectionId, cancellationToken).ConfigureAwait(false));
        }
        // Every subscription first, then every connection's own item, 25 to a BatchWriteItem across connections:
        // the order RemoveAsync keeps for one connection, kept for all of them.
        var keys = found.SelectMany(f => f.Subscriptions).ToList();
        var metas = found.Where(f => f.Meta is not null).Select(f => f.Meta!).ToList();
        keys.AddRange(metas.Select(KeyOf));
        await DeleteAllAsync(keys, cancellationToken).ConfigureAwait(false);
        var now = timeProvider.GetUtcNow();
        return metas.Count(meta => !IsExpired(meta, now));
    }

    /// <summary>The keys of a connection's subscriptions, and its own item: one consistent Query on its partition.</summary>
    private async Task<(List<Dictionary<string, AttributeValue>> Subscriptions, Dictionary<string, AttributeValue>? Meta)> ItemsOfAsync(
        string connectionId, CancellationToken cancellationToken)
    {
        var keys = new List<Dictionary<string, AttributeValue>>();
        Dictionary<string, AttributeValue>? meta = null;
        Dictionary<string, AttributeValue>? startKey = null;
        do
        {
            var page = await dynamoDb.QueryAsync(new QueryRequest
            {
                TableName = _table,
                ConsistentRead = true,
                KeyConditionExpression = $"{ItemKeys.PK} = :pk",
                ProjectionExpression = $"{ItemKeys.PK}, {ItemKeys.SK}, {TtlName}",
                ExpressionAttributeNames = TtlNames,
                ExpressionAttributeValues = new() { [":pk"] = S(ItemKeys.Connection(connectionId)) },
                ExclusiveStartKey = startKey,
            }, cancellationToken).ConfigureAwait(false);

            foreach (var item in page.Items ?? [])
            {
                if (ItemKeys.IsMeta(item[ItemKeys.SK].S)) meta = item;
                else keys.Add(KeyOf(item));
            }
            startKey = page.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (startKey is not null);
        return (keys, meta);
    }

    public async Task<SubscribeResult> SubscribeAsync(string connectionId, string topic, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        var meta = await GetMetaAsync(connectionId, cancellationToken).ConfigureAwait(false);
        if (meta is null) return SubscribeResult.UnknownConnection;

        var connection = ToConnection(meta);
        try
        {
            // One transaction: the connection's count goes up only while it exists and is under the limit, and only
            // with a subscription that was not there yet. No subscription lands after its connection's removal, and
            // concurrent requests cannot pass the limit together.
            await dynamoDb.TransactWriteItemsAsync(new TransactWriteItemsRequest
            {
                TransactItems =
                [
                    new TransactWriteItem
                    {
                        Update = new Update
                        {
                            TableName = _table,
                            Key = MetaKey(connectionId),
                            UpdateExpression = $"SET {SubscriptionsName} = if_not_exists({SubscriptionsName}, :zero) + :one",
                            ConditionExpression = $"attribute_exists({ItemKeys.PK}) AND (attribute_not_exists({SubscriptionsName}) OR {SubscriptionsName} < :max)",
                            ExpressionAttributeNames = SubscriptionsNames,
                            ExpressionAttributeValues = new() { [":zero"] = N(0), [":one"] = N(1), [":max"] = N(options.MaxSubscriptionsPerConnection) },
                            ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD,
                        },
                    },
                    new TransactWriteItem
                    {
                        Put = new Put
                        {
                            TableName = _table,
                            Item = Subscription(connection, topic, options.ExpiryOf(connection)),
                            ConditionExpression = $"attribute_not_exists({ItemKeys.PK})",
                        },
                    },
                ],
            }, cancellationToken).ConfigureAwait(false);
            return SubscribeResult.Subscribed;
        }
        catch (TransactionCanceledException e) when (e.CancellationReasons is { Count: 2 } reasons)
        {
            if (reasons[1].Code == "ConditionalCheckFailed") return SubscribeResult.Subscribed; // already subscribed
            if (reasons[0].Code != "ConditionalCheckFailed") throw;
            return reasons[0].Item is { Count: > 0 } ? SubscribeResult.LimitReached : SubscribeResult.UnknownConnection;
        }
    }

    public async Task<bool> IsSubscribedAsync(string connectionId, string topic, CancellationToken cancellationToken)
    {
        var response = await dynamoDb.GetItemAsync(new GetItemRequest
        {
            TableName = _table,
            Key = SubscriptionKey(connectionId, topic),
            ProjectionExpression = $"{ItemKeys.PK}, {TtlName}",
            ExpressionAttributeNames = TtlNames,
        }, cancellationToken).ConfigureAwait(false);
        return response.Item is { Count: > 0 } item && !IsExpired(item, timeProvider.GetUtcNow());
    }

    public async Task<bool> TryCountMessageAsync(string connectionId, string? userId, MessageRateLimit limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(limit);
        var now = timeProvider.GetUtcNow();
        var connectionCounted = limit.PerConnection <= 0
            ? Task.FromResult(true)
            : MessageCounter.TryCountAsync(dynamoDb, _table, MetaKey(connectionId), limit.PerConnection, now, mustExist: true, expiresAt: null, cancellationToken);
        // A user's count lives in an item of its own, kept for a minute past its window by the TTL.
        var userCounted = userId is null || limit.PerUser <= 0
            ? Task.FromResult(true)
            : MessageCounter.TryCountAsync(dynamoDb, _table, UserRateKey(userId), limit.PerUser, now, mustExist: false, expiresAt: now.AddMinutes(1), cancellationToken);
        var counted = await Task.WhenAll(connectionCounted, userCounted).ConfigureAwait(false);
        return counted[0] && counted[1];
    }

    public async Task<bool> UnsubscribeAsync(string connectionId, string topic, CancellationToken cancellationToken)
    {
        try
        {
            // The subscription goes with its count, so the limit counts what is there.
            await dynamoDb.TransactWriteItemsAsync(new TransactWriteItemsRequest
            {
                TransactItems =
                [
                    new TransactWriteItem
                    {
                        Delete = new Delete
                        {
                            TableName = _table,
                            Key = SubscriptionKey(connectionId, topic),
                            ConditionExpression = $"attribute_exists({ItemKeys.PK}) AND {TtlName} > :now",
                            ExpressionAttributeNames = TtlNames,
                            ExpressionAttributeValues = new() { [":now"] = N(timeProvider.GetUtcNow().ToUnixTimeSeconds()) },
                        },
                    },
                    new TransactWriteItem
                    {
                        Update = new Update
                        {
                            TableName = _table,
                            Key = MetaKey(connectionId),
                            UpdateExpression = $"SET {SubscriptionsName} = {SubscriptionsName} - :one",
                            ConditionExpression = $"{SubscriptionsName} > :zero",
                            ExpressionAttributeNames = SubscriptionsNames,
                            ExpressionAttributeValues = new() { [":zero"] = N(0), [":one"] = N(1) },
                        },
                    },
                ],
            }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TransactionCanceledException e) when (e.CancellationReasons is { Count: 2 } reasons && reasons.Any(r => r.Code == "ConditionalCheckFailed"))
        {
            if (reasons[0].Code == "ConditionalCheckFailed") return false; // not subscribed (or expired)
            // The connection's item is gone or has no count: the subscription still goes.
            await dynamoDb.DeleteItemAsync(new DeleteItemRequest { TableName = _table, Key = SubscriptionKey(connectionId, topic) }, cancellationToken).ConfigureAwait(false);
            return true;
        }
    }

    public Task<ConnectionPage> ListTopicAsync(string topic, PageRequest page, CancellationToken cancellationToken) =>
        ListAsync(ItemKeys.TopicKey(topic), ItemKeys.TopicKey(topic), page, cancellationToken);

    public Task<ConnectionPage> ListUserAsync(string userId, PageRequest page, CancellationToken cancellationToken) =>
        ListAsync(ItemKeys.User(userId), ItemKeys.Meta, page, cancellationToken);

    /// <summary>
    /// One page is one Query. It asks for one item more than the page holds, so a full last page is known to be the
    /// last without a further, empty Query. The cursor is the connection id the page ended on.
    /// </summary>
    private async Task<ConnectionPage> ListAsync(string indexKey, string sortKey, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(page.Size, 1, nameof(page));
        var response = await dynamoDb.QueryAsync(new QueryRequest
        {
            TableName = _table,
            IndexName = tableOptions.IndexName,
            KeyConditionExpression = page.Until is null ? $"{ItemKeys.GSI1PK} = :key" : $"{ItemKeys.GSI1PK} = :key AND {ItemKeys.GSI1SK} <= :until",
            FilterExpression = $"{TtlName} > :now",
            ExpressionAttributeNames = TtlNames,
            ExpressionAttributeValues = RangeValues(indexKey, page.Until),
            Limit = page.Size + 1,
            ExclusiveStartKey = page.Cursor is { } cursor
                ? new()
                {
                    [ItemKeys.PK] = S(ItemKeys.Connection(cursor)),
                    [ItemKeys.SK] = S(sortKey),
                    [ItemKeys.GSI1PK] = S(indexKey),
                    [ItemKeys.GSI1SK] = S(ItemKeys.Connection(cursor)),
                }
                : null,
        }, cancellationToken).ConfigureAwait(false);

        var items = response.Items ?? [];
        if (items.Count > page.Size)
        {
            var full = items.Take(page.Size).Select(ToConnection).ToList();
            return new ConnectionPage(full, full[^1].ConnectionId);
        }

        // Fewer items than asked for with a LastEvaluatedKey: expired items were filtered out; more may follow.
        var next = response.LastEvaluatedKey is { Count: > 0 } last ? ItemKeys.ConnectionIdOf(last[ItemKeys.GSI1SK].S) : null;
        return new ConnectionPage(items.Select(ToConnection).ToList(), next);
    }

    private Dictionary<string, AttributeValue> RangeValues(string indexKey, string? until)
    {
        var values = new Dictionary<string, AttributeValue>
        {
            [":key"] = S(indexKey),
            [":now"] = N(timeProvider.GetUtcNow().ToUnixTimeSeconds()),
        };
        if (until is not null) values[":until"] = S(ItemKeys.Connection(until));
        return values;
    }

    private async Task<Dictionary<string, AttributeValue>?> GetMetaAsync(string connectionId, CancellationToken cancellationToken)
    {
        var response = await dynamoDb.GetItemAsync(new GetItemRequest
        {
            TableName = _table,
            Key = MetaKey(connectionId),
            ConsistentRead = true,
        }, cancellationToken).ConfigureAwait(false);
        var item = response.Item;
        return item is { Count: > 0 } && !IsExpired(item, timeProvider.GetUtcNow()) ? item : null;
    }

    private async Task DeleteAllAsync(List<Dictionary<string, AttributeValue>> keys, CancellationToken cancellationToken)
    {
        for (var start = 0; start < keys.Count; start += BatchWriteLimit)
        {
            var requests = keys.Skip(start).Take(BatchWriteLimit)
                .Select(key => new WriteRequest { DeleteRequest = new DeleteRequest { Key = key } })
                .ToList();
            await WriteBatchAsync(requests, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Sends one batch, then re-sends what DynamoDB left unprocessed (throttling) with a growing pause.</summary>
    private async Task WriteBatchAsync(List<WriteRequest> requests, CancellationToken cancellationToken)
    {
        var pending = new Dictionary<string, List<WriteRequest>> { [_table] = requests };
        for (var attempt = 1; ; attempt++)
        {
            var response = await dynamoDb.BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = pending }, cancellationToken).ConfigureAwait(false);
            if (response.UnprocessedItems is not { Count: > 0 } unprocessed) return;
            if (attempt >= tableOptions.MaxBatchAttempts)
            {
                throw new InvalidOperationException(
                    $"DynamoDB left {unprocessed.Values.Sum(r => r.Count)} deletes unprocessed after {attempt} BatchWriteItem attempts.");
            }

            pending = unprocessed;
            var delay = TimeSpan.FromMilliseconds(Math.Min(1000, 25 * (1 << attempt)) * (0.5 + Random.Shared.NextDouble() / 2));
            await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    private static Dictionary<string, AttributeValue> MetaKey(string connectionId) => new()
    {
        [ItemKeys.PK] = S(ItemKeys.Connection(connectionId)),
        [ItemKeys.SK] = S(ItemKeys.Meta),
    };

    private static Dictionary<string, AttributeValue> UserRateKey(string userId) => new()
    {
        [ItemKeys.PK] = S(ItemKeys.User(userId)),
        [ItemKeys.SK] = S(ItemKeys.MessageRate),
    };

    private static Dictionary<string, AttributeValue> SubscriptionKey(string connectionId, string topic) => new()
    {
        [ItemKeys.PK] = S(ItemKeys.Connection(connectionId)),
        [ItemKeys.SK] = S(ItemKeys.TopicKey(topic)),
    };

    private static Dictionary<string, AttributeValue> KeyOf(Dictionary<string, AttributeValue> item) => new()
    {
        [ItemKeys.PK] = item[ItemKeys.PK],
        [ItemKeys.SK] = item[ItemKeys.SK],
    };
}
