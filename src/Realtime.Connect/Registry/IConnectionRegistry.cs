namespace Realtime.Connect.Registry;

/// <summary>
/// Where the gateway keeps its connections, their users and their topic subscriptions. Implementations: DynamoDB
/// (the deployed one) and in memory (the local host's default). Both pass the same specification test suite.
/// Expired entries (past their TTL) are never returned, even before the store deletes them.
/// </summary>
public interface IConnectionRegistry
{
    /// <summary>Records a new connection. Throws <see cref="ConnectionExistsException"/> if the id is already recorded.</summary>
    Task AddAsync(Connection connection, CancellationToken cancellationToken);

    /// <summary>The connection, or null when it is unknown or expired.</summary>
    Task<Connection?> GetAsync(string connectionId, CancellationToken cancellationToken);

    /// <summary>Removes the connection and all its subscriptions. Idempotent: an unknown id returns false.</summary>
    Task<bool> RemoveAsync(string connectionId, CancellationToken cancellationToken);

    /// <summary>
    /// Removes several connections and all their subscriptions, in as few writes as the store allows (fan-out's
    /// cleanup of gone connections). Idempotent; returns how many of them were recorded and live.
    /// </summary>
    Task<int> RemoveAllAsync(IReadOnlyCollection<string> connectionIds, CancellationToken cancellationToken);

    /// <summary>
    /// Subscribes a recorded connection to a topic (idempotent), unless it already holds
    /// <see cref="RegistryOptions.MaxSubscriptionsPerConnection"/> subscriptions; the check and the subscription are
    /// one atomic step, so concurrent requests cannot pass the limit together.
    /// </summary>
    Task<SubscribeResult> SubscribeAsync(string connectionId, string topic, CancellationToken cancellationToken);

    /// <summary>Whether a recorded connection is subscribed to <paramref name="topic"/>.</summary>
    Task<bool> IsSubscribedAsync(string connectionId, string topic, CancellationToken cancellationToken);

    /// <summary>
    /// Counts one message of <paramref name="connectionId"/> (and of <paramref name="userId"/>, when there is one)
    /// in the current second; false when that goes over <paramref name="limit"/>, and the message should be refused.
    /// A connection that is not recorded is not counted.
    /// </summary>
    Task<bool> TryCountMessageAsync(string connectionId, string? userId, MessageRateLimit limit, CancellationToken cancellationToken);

    /// <summary>Ends a subscription. Idempotent: returns false when there was none.</summary>
    Task<bool> UnsubscribeAsync(string connectionId, string topic, CancellationToken cancellationToken);

    /// <summary>One page of the connections subscribed to <paramref name="topic"/>; pass the page's cursor for the next.</summary>
    Task<ConnectionPage> ListTopicAsync(string topic, PageRequest page, CancellationToken cancellationToken);

    /// <summary>One page of the connections of <paramref name="userId"/>; pass the page's cursor for the next.</summary>
    Task<ConnectionPage> ListUserAsync(string userId, PageRequest page, CancellationToken cancellationToken);
}
