using System.Globalization;
using Amazon.DynamoDBv2.Model;

namespace Realtime.Connect.Registry.DynamoDb;

/// <summary>
/// Turns connections into items and back. A subscription item repeats its connection's attributes, so listing a
/// topic is one Query on GSI1 with no read per subscriber.
/// </summary>
internal static class ConnectionItem
{
    public static Dictionary<string, AttributeValue> Meta(Connection connection, DateTimeOffset expiresAt)
    {
        var item = Attributes(connection, expiresAt);
        item[ItemKeys.PK] = S(ItemKeys.Connection(connection.ConnectionId));
        item[ItemKeys.SK] = S(ItemKeys.Meta);
        if (connection.UserId is { } userId)
        {
            // Anonymous connections stay out of the index: GSI1 is sparse.
            item[ItemKeys.GSI1PK] = S(ItemKeys.User(userId));
            item[ItemKeys.GSI1SK] = S(ItemKeys.Connection(connection.ConnectionId));
        }
        return item;
    }

    public static Dictionary<string, AttributeValue> Subscription(Connection connection, string topic, DateTimeOffset expiresAt)
    {
        var item = Attributes(connection, expiresAt);
        item[ItemKeys.PK] = S(ItemKeys.Connection(connection.ConnectionId));
        item[ItemKeys.SK] = S(ItemKeys.TopicKey(topic));
        item[ItemKeys.GSI1PK] = S(ItemKeys.TopicKey(topic));
        item[ItemKeys.GSI1SK] = S(ItemKeys.Connection(connection.ConnectionId));
        item[ItemKeys.Topic] = S(topic);
        return item;
    }

    public static Connection ToConnection(Dictionary<string, AttributeValue> item) => new(
        ConnectionId: item[ItemKeys.ConnectionId].S,
        UserId: StringOrNull(item, ItemKeys.UserId),
        ConnectedAt: DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(item[ItemKeys.ConnectedAt].N, CultureInfo.InvariantCulture)),
        DomainName: item[ItemKeys.DomainName].S,
        Stage: item[ItemKeys.Stage].S,
        SourceIp: StringOrNull(item, ItemKeys.SourceIp));

    public static bool IsExpired(Dictionary<string, AttributeValue> item, DateTimeOffset now) =>
        item.TryGetValue(ItemKeys.Ttl, out var ttl) && ttl.N is { } seconds &&
        long.Parse(seconds, CultureInfo.InvariantCulture) <= now.ToUnixTimeSeconds();

    public static AttributeValue S(string value) => new() { S = value };

    public static AttributeValue N(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    private static Dictionary<string, AttributeValue> Attributes(Connection connection, DateTimeOffset expiresAt)
    {
        var item = new Dictionary<string, AttributeValue>(StringComparer.Ordinal)
        {
            [ItemKeys.ConnectionId] = S(connection.ConnectionId),
            [ItemKeys.ConnectedAt] = N(connection.ConnectedAt.ToUnixTimeMilliseconds()),
            [ItemKeys.DomainName] = S(connection.DomainName),
            [ItemKeys.Stage] = S(connection.Stage),
            [ItemKeys.Ttl] = N(expiresAt.ToUnixTimeSeconds()),
        };
        if (connection.UserId is { } userId) item[ItemKeys.UserId] = S(userId);
        if (connection.SourceIp is { } sourceIp) item[ItemKeys.SourceIp] = S(sourceIp);
        return item;
    }

    private static string? StringOrNull(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var value) ? value.S : null;
}
