namespace Realtime.Connect.Registry;

/// <summary>
/// The registry kept in process memory: the local host's default, and the reference the DynamoDB registry is
/// specified against. Pages are in ordinal order of connection id, and a cursor is the last id of a page, the same
/// contract the DynamoDB registry keeps.
/// </summary>
public sealed class InMemoryConnectionRegistry(RegistryOptions options, TimeProvider timeProvider) : IConnectionRegistry
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _connections = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedSet<string>> _topics = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedSet<string>> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Window, int Count)> _userMessages = new(StringComparer.Ordinal);

    public InMemoryConnectionRegistry() : this(new RegistryOptions(), TimeProvider.System)
    {
    }

    public Task AddAsync(Connection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        lock (_lock)
        {
            if (_connections.TryGetValue(connection.ConnectionId, out var existing))
            {
                if (!IsExpired(existing)) throw new ConnectionExistsException(connection.ConnectionId);
                RemoveLocked(connection.ConnectionId);
            }

            _connections[connection.ConnectionId] = new Entry(connection, options.ExpiryOf(connection));
            if (connection.UserId is { } userId) IndexOf(_users, userId).Add(connection.ConnectionId);
        }
        return Task.CompletedTask;
    }

    public Task<Connection?> GetAsync(string connectionId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(TryGetLive(connectionId, out var entry) ? entry.Connection : null);
        }
    }

    public Task<bool> RemoveAsync(string connectionId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var wasLive = TryGetLive(connectionId, out _);
            RemoveLocked(connectionId);
            return Task.FromResult(wasLive);
        }
    }

    public Task<int> RemoveAllAsync(IReadOnlyCollection<string> connectionIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connectionIds);
        lock (_lock)
        {
            var live = 0;
            foreach (var connectionId in connectionIds.Distinct(StringComparer.Ordinal))
            {
                if (TryGetLive(connectionId, out _)) live++;
                RemoveLocked(connectionId);
            }
            return Task.FromResult(live);
        }
    }

    public Task<SubscribeResult> SubscribeAsync(string connectionId, string topic, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        lock (_lock)
        {
            if (!TryGetLive(connectionId, out var entry)) return Task.FromResult(SubscribeResult.UnknownConnection);
            if (!entry.Topics.Contains(topic) && entry.Topics.Count >= options.MaxSubscriptionsPerConnection)
                return Task.FromResult(SubscribeResult.LimitReached);
            entry.Topics.Add(topic);
            IndexOf(_topics, topic).Add(connectionId);
            return Task.FromResult(SubscribeResult.Subscribed);
        }
    }

    public Task<bool> IsSubscribedAsync(string connectionId, string topic, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(TryGetLive(connectionId, out var entry) && entry.Topics.Contains(topic));
        }
    }

    public Task<bool> TryCountMessageAsync(string connectionId, string? userId, MessageRateLimit limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(limit);
        var window = timeProvider.GetUtcNow().ToUnixTimeSeconds();
        lock (_lock)
        {
            if (!TryGetLive(connectionId, out var entry)) return Task.FromResult(true);
            var user = userId is null ? default : _userMessages.GetValueOrDefault(userId);
            var connectionCount = entry.MessageWindow == window ? entry.MessageCount : 0;
            var userCount = user.Window == window ? user.Count : 0;
            if ((limit.PerConnection > 0 && connectionCount >= limit.PerConnection) || (userId is not null && limit.PerUser > 0 && userCount >= limit.PerUser))
            {
                return Task.FromResult(false);
            }
            entry.MessageWindow = window;
            entry.MessageCount = connectionCount + 1;
            if (userId is not null) _userMessages[userId] = (window, userCount + 1);
            return Task.FromResult(true);
        }
    }

    public Task<bool> UnsubscribeAsync(string connectionId, string topic, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_connections.TryGetValue(connectionId, out var entry) || !entry.Topics.Remove(topic)) return Task.FromResult(false);
            Unindex(_topics, topic, connectionId);
            return Task.FromResult(!IsExpired(entry));
        }
    }

    public Task<ConnectionPage> ListTopicAsync(string topic, PageRequest page, CancellationToken cancellationToken) =>
        Task.FromResult(List(_topics, topic, page));

    public Task<ConnectionPage> ListUserAsync(string userId, PageRequest page, CancellationToken cancellationToken) =>
        Task.FromResult(List(_users, userId, page));

    private ConnectionPage List(Dictionary<string, SortedSet<string>> index, string key, PageRequest page)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(page.Size, 1, nameof(page));
        lock (_lock)
        {
            if (!index.TryGetValue(key, out var ids)) return ConnectionPage.Empty;
            var from = page.Cursor ?? ids.Min!;
            var to = page.Until is { } until && string.CompareOrdinal(until, ids.Max) < 0 ? until : ids.Max!;
            if (string.CompareOrdinal(from, to) > 0 || (page.Cursor is not null && from == to)) return ConnectionPage.Empty;

            // A view's Count walks it; never ask for it on an index of a million subscribers.
            var items = new List<Connection>(Math.Min(page.Size, 1024));
            string? lastId = null;
            var more = false;
            foreach (var id in ids.GetViewBetween(from, to))
            {
                if (id == page.Cursor) continue;
                if (items.Count == page.Size)
                {
                    more = true;
                    break;
                }
                if (TryGetLive(id, out var entry)) items.Add(entry.Connection);
                lastId = id;
            }
            return new ConnectionPage(items, more ? lastId : null);
        }
    }

    private bool TryGetLive(string connectionId, out Entry entry) =>
        _connections.TryGetValue(connectionId, out entry!) && !IsExpired(entry);

    private bool IsExpired(Entry entry) => entry.ExpiresAt <= timeProvider.GetUtcNow();

    private void RemoveLocked(string connectionId)
    {
        if (!_connections.Remove(connectionId, out var entry)) return;
        foreach (var topic in entry.Topics) Unindex(_topics, topic, connectionId);
        if (entry.Connection.UserId is { } userId)
        {
            Unindex(_users, userId, connectionId);
            if (!_users.ContainsKey(userId)) _userMessages.Remove(userId); // the user's last connection went
        }
    }

    private static SortedSet<string> IndexOf(Dictionary<string, SortedSet<string>> index, string key)
    {
        if (!index.TryGetValue(key, out var ids)) index[key] = ids = new SortedSet<string>(StringComparer.Ordinal);
        return ids;
    }

    private static void Unindex(Dictionary<string, SortedSet<string>> index, string key, string connectionId)
    {
        if (index.TryGetValue(key, out var ids) && ids.Remove(connectionId) && ids.Count == 0) index.Remove(key);
    }

    private sealed record Entry(Connection Connection, DateTimeOffset ExpiresAt)
    {
        public HashSet<string> Topics { get; } = new(StringComparer.Ordinal);

        public long MessageWindow { get; set; }

        public int MessageCount { get; set; }
    }
}
