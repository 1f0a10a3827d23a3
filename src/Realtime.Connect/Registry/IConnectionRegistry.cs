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

    /// <summary>Subscribes a recorded connection to a topic (idempotent). Returns false when the connection is unknown.</summary>
    Task<bool> SubscribeAsync(string connectionId, string topic, CancellationToken cancellationToken);

    /// <summary>Ends a subscription. Idempotent: returns false when there was none.</summary>
    Task<bool> UnsubscribeAsync(string connectionId, string topic, CancellationToken cancellationToken);

    /// <summary>One page of the connections subscribed to <paramref name="topic"/>; pass the page's cursor for the next.</summary>
    Task<ConnectionPage> ListTopicAsync(string topic, PageRequest page, CancellationToken cancellationToken);

    /// <summary>One page of the connections of <paramref name="userId"/>; pass the page's cursor for the next.</summary>
    Task<ConnectionPage> ListUserAsync(string userId, PageRequest page, CancellationToken cancellationToken);
}
