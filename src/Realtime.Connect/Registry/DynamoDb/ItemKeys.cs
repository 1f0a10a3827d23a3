namespace Realtime.Connect.Registry.DynamoDb;

/// <summary>
/// The single-table key scheme. A connection and its subscriptions share the partition <c>CONN#{id}</c>, so one
/// Query finds everything to delete at disconnect; GSI1 groups connections by <c>USER#{user}</c> and subscriptions
/// by <c>TOPIC#{topic}</c>, sorted by <c>CONN#{id}</c>, so both list in pages without a Scan.
/// </summary>
internal static class ItemKeys
{
    public const string PK = "PK";
    public const string SK = "SK";
    public const string GSI1PK = "GSI1PK";
    public const string GSI1SK = "GSI1SK";
    public const string Ttl = "ttl";

    public const string ConnectionId = "connectionId";
    public const string UserId = "userId";
    public const string ConnectedAt = "connectedAt";
    public const string DomainName = "domainName";
    public const string Stage = "stage";
    public const string SourceIp = "sourceIp";
    public const string Topic = "topic";
    public const string Subscriptions = "subscriptions";
    public const string MessageWindow = "messageWindow";
    public const string MessageCount = "messageCount";

    public const string Meta = "META";
    public const string MessageRate = "RATE";
    private const string ConnectionPrefix = "CONN#";
    private const string TopicPrefix = "TOPIC#";
    private const string UserPrefix = "USER#";

    public static string Connection(string connectionId) => ConnectionPrefix + connectionId;
    public static string TopicKey(string topic) => TopicPrefix + topic;
    public static string User(string userId) => UserPrefix + userId;
    public static bool IsMeta(string sortKey) => sortKey == Meta;

    public static string ConnectionIdOf(string connectionKey) =>
        connectionKey.StartsWith(ConnectionPrefix, StringComparison.Ordinal) ? connectionKey[ConnectionPrefix.Length..] : connectionKey;
}
