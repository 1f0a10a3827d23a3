using Microsoft.Extensions.Time.Testing;
using Realtime.Connect.Registry;
using Realtime.Testing;

namespace Realtime.Connect.Tests.Registry;

/// <summary>
/// What every <see cref="IConnectionRegistry"/> must do. Each implementation subclasses this suite, as SignalR's
/// lifetime managers subclass theirs. Ids and topics are unique per test, so implementations may share storage.
/// </summary>
public abstract class ConnectionRegistrySpecification
{
    private readonly string _prefix = Guid.NewGuid().ToString("N")[..8];

    protected FakeTimeProvider Time { get; } = new(DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));

    /// <summary>A small subscription limit, so the limit's tests need few requests.</summary>
    protected static RegistryOptions Options { get; } = new() { MaxSubscriptionsPerConnection = 3 };

    protected abstract Task<IConnectionRegistry> CreateRegistryAsync();

    [Fact]
    public async Task AddedConnectionIsReturnedWithEveryField()
    {
        var registry = await CreateRegistryAsync().DefaultTimeout();
        var connection = NewConnection("a", user: "alice");

        await registry.AddAsync(connection, CancellationToken.None).DefaultTimeout();

        Assert.Equal(connection, await registry.GetAsync(connection.ConnectionId, CancellationToken.None).DefaultTimeout());
    }

    [Fact]
    public async Task AnonymousConnectionKeepsNullUserAndSourceIp()
    {
        var registry = await CreateRegistryAsync().DefaultTimeout();
        var connection = NewConnection("a", user: null) with { SourceIp = null };

        await registry.AddAsync(connection, CancellationToken.None).DefaultTimeout();

        Assert.Equal(connection, await registry.GetAsync(connection.ConnectionId, CancellationToken.None).DefaultTimeout());
    }

    [Fact]
    public async Task AddingAnExistingConnectionThrows()
    {
        var registry = await CreateRegistryAsync().DefaultTimeout();
        var connection = NewConnection("a");
        await registry.AddAsync(connection, CancellationToken.None).DefaultTimeout();

        var error = await Assert.ThrowsAsync<ConnectionExistsException>(() => registry.AddAsync(connection with { UserId = "mallory" }, CancellationToken.None)).DefaultTimeout();

        Assert.Equal(connection.ConnectionId, error.ConnectionId);
        Assert.Equal(connection, await registry.GetAsync(connection.ConnectionId, CancellationToken.None).DefaultTimeout());
    }

    [Fact]
    public async Task UnknownConnectionIsNull()
    {
        var registry = await CreateRegistryAsync().DefaultTimeout();

        Assert.Null(await registry.GetAsync(Id("missing"), CancellationToken.None).DefaultTimeout());
    }

    [Fact]
    public async Task RemoveIsIdempotent()
    {
        var registry = await CreateRegistryAsync().DefaultTimeout();
        var connection = NewConnection("a");
        await registry.AddAsync(connection, CancellationToken.None).DefaultTimeout();

        Assert.True(await registry.RemoveAsync(connection.ConnectionId, CancellationToken.None).DefaultTimeout());
        Assert.False(await registry.RemoveAsync(connection.ConnectionId, CancellationToken.None).DefaultTimeout());
        Assert.False(await registry.RemoveAsync(Id("never"), CancellationToken.None).DefaultTimeout());
        Assert.Null(await registry.GetAsync(connection.ConnectionId, CancellationToken.None).DefaultTimeout());
    }

    [Fact]
    public async Task RemovingSeveralAtOnceEndsEachWithItsSubscriptionsAndCountsTheLiveOnes()
    {
        var registry = await CreateRegistryAsync().DefaultTimeout();
        var topic = Topic("batch");
        var keep = NewConnection("keep");
        await registry.AddAsync(keep, CancellationToken.None).DefaultTimeout();
        await registry.SubscribeAsync(keep.ConnectionId, topic, CancellationToken.None).DefaultTimeout();
        var gone = new List<string>();
        for (var i = 0; i < 15; i++)
        {
            var connection = NewConnection($"gone{i:D2}", user: User("bob"));
            await registry.AddAsync(connection, CancellationToken.None).DefaultTimeout();
            await registry.SubscribeAsync(connection.ConnectionId, topic, CancellationToken.None).DefaultTimeout();
            await registry.SubscribeAsync(connection.ConnectionId, Topic("other"), CancellationToken.None).DefaultTimeout();
            gone.Add(connection.ConnectionId);
        }

        var removed = await registry.RemoveAllAsync([.. gone, gone[0], Id("never")], CancellationToken.None).DefaultTimeout();

        Assert.Equal(15, removed);
        Assert.Equal([keep.ConnectionId], (await ListAllTopicAsync(registry, topic, 10)).Select(c => c.ConnectionId));
        Assert.Empty(await ListAllTopicAsync(registry, Topic("other"), 10));
        Assert.Empty(await ListAllUserAsync(registry, User("bob"), 10));
        Assert.Equal(0, await registry.RemoveAllAsync(gone, CancellationToken.None).DefaultTimeout());
    }

    [Fact]
    public async Task RemoveEndsEverySubscriptionAndTheUserEntry()
    {
        var registry = await CreateRegistryAsync().DefaultTimeout();
        var connection = NewConnection("a", user: User("alice"));
        await registry.AddAsync(connection, CancellationToken.None).DefaultTimeout();
        string[] topics = [Topic("one"), Topic("two"), Topic("three")];
        foreach (var topic in topics) await registry.SubscribeAsync(connection.ConnectionId, topic, CancellationToken.None).DefaultTimeout();

        await registry.RemoveAsync(connection.ConnectionId, CancellationToken.None).DefaultTimeout();

        foreach (var topic in topics) Assert.Empty(await ListAllTopicAsync(registry, topic, 10));
        Assert.Empty(await ListAllUserAsync(registry, connection.UserId!, 10));
    }

    [Fact]
    public async Task SubscribingAnUnknownConnectionFails()
    {
        var registry = await CreateRegistryAsync().DefaultTimeout();

        Assert.Equal(SubscribeResult.UnknownConnection, await registry.SubscribeAsync(Id("ghost"), Topic("t"), CancellationToken.None).DefaultTimeout());
        Assert.Empty(await ListAllTopicAsync(registry, Topic("t"), 10));
    }

    [Fact]
    public async Task AConnectionAtTheLimitIsRefusedANewTopicButKeepsItsOwn()
    {
        var registry = await CreateRegistryAsync().DefaultTimeout();
        var connection = NewConnection("a");
        await registry.AddAsync(connection, CancellationToken.None).DefaultTimeout();
        for (var i = 0; i < Options.MaxSubscriptionsPerConnection; i++)
        {
            Assert.Equal(SubscribeResult.Subscribed, await registry.SubscribeAsync(connection.ConnectionId, Topic($"t{i}"), CancellationToken.None).DefaultTimeout());
        }

        Assert.Equal(SubscribeResult.LimitReached, await registry.SubscribeAsync(connection.ConnectionId, Topic("one-more"), CancellationToken.None).DefaultTimeout());
        Assert.Equal(SubscribeResult.Subscribed, await registry.SubscribeAsync(connection.ConnectionId, Topic("t0"), CancellationToken.None).DefaultTimeout());
        Assert.Empty(await ListAllTopicAsync(registry, Topic("one-more"), 10));
        Assert.False(await registry.IsSubscribedAsync(connection.ConnectionId, Topic("one-more"), CancellationToken.None).DefaultTimeout());
    }

    [Fact]
    public async Task UnsubscribingFreesAPlaceUnderTheLimit()
    {
        var registry = await CreateRegistryAsync().DefaultTimeout();
        var connection = NewConnection("a");
        await registry.AddAsync(connection, CancellationToken.None).DefaultTimeout();
        for (var i = 0; i < Options.MaxSubscriptionsPerConnection; i++) await registry.SubscribeAsync(connection.ConnectionId, Topic($"t{i}"), CancellationToken.None).DefaultTimeout();

        Assert.True(await registry.UnsubscribeAsync(connection.ConnectionId, Topic("t1"), CancellationToken.None).DefaultTimeout());

        Assert.Equal(SubscribeResult.Subscribed, await registry.SubscribeAsync(connection.ConnectionId, Topic("new"), CancellationToken.None).DefaultTimeout());
        Assert.Equal(SubscribeResult.LimitReached, await registry.SubscribeAsync(connection.ConnectionId, Topic("t1"), CancellationToken.None).DefaultTimeout());
    }

    [Fact]
    public async Task ConcurrentSubscriptionsNeverPassTheLimit()
    {
        var registry = await CreateRegistryAsync().DefaultTimeout();
        var connection = NewConnection("a");
        await registry.AddAsync(connection, CancellationToken.None).DefaultTimeout();

        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => registry.SubscribeAsync(connection.ConnectionId, Topic($"c{i}"), CancellationToken.None))).DefaultTimeout();

        // A refused transaction may be a conflict rather than the limit; what matters is that none passes it.
        var subscribed = 0;
        for (var i = 0; i < 12; i++)
        {
            if (await registry.IsSubscribedAsync(connection.ConnectionId, Topic($"c{i}"), CancellationToken.None).DefaultTimeout()) subscribed++;
        }
        Assert.InRange(subscribed, 1, Options.MaxSubscriptionsPerConnection);
        Assert.Equal(results.Count(result => result == SubscribeResult.Subscribed), subscribed);
    }

    [Fact]
    public async Task MessagesOverTheConnectionsLimitInOneSecondAreRefusedUntilTheNextSecond()
    {
        var registry = await CreateRegistryAsync().DefaultTimeout();
        var connection = NewConnection("a");
        await registry.AddAsync(connection, CancellationToken.None).DefaultTimeout();
        var limit = new MessageRateLimit(PerConnection: 3, PerUser: 0);

        var counted = new List<bool>();
        for (var i = 0; i < 5; i++) counted.Add(await registry.TryCountMessageAsync(connection.ConnectionId, null, limit, CancellationToken.None).DefaultTimeout());
        Time.Advance(TimeSpan.FromSeconds(1));
        counted.Add(await registry.TryCountMessageAsync(connection.ConnectionId, null, limit, CancellationToken.None).DefaultTimeout());

        Assert.Equal([true, true, true, false, false, true], counted);
    }

    [Fact]
    public async Task AUsersLimitCountsEveryConnectionOfTheUser()
    {
        var registry = await CreateRegistryAsync().DefaultTimeout();
        var first = NewConnection("a", user: User("alice"));
        var second = NewConnection("b", user: first.UserId);
        var other = NewConnection("c", user: User("bob"));
        foreach (var connection in new[] { first, second, other }) await registry.AddAsync(connection, CancellationToken.None).DefaultTimeout();
        var limit = new MessageRateLimit(PerConnection: 10, PerUser: 3);

        var counted = new List<bool>();
        foreach (var connection in new[] { first, second, first, second })
        {
            counted.Add(await registry.TryCountMessageAsync(connection.ConnectionId, connection.UserId, limit, CancellationToken.None).DefaultTimeout());
        }

        Assert.Equal([true, true, true, false], counted);
        Assert.True(await registry.TryCountMessageAsync(other.ConnectionId, other.UserId, limit, CancellationToken.None).DefaultTimeout());
    }

    [Fact]
    public async Task ConcurrentMessagesNeverPassTheLimit()
    {
        var registry = await CreateRegistryAsync().DefaultTimeout();
        var connection = NewConnection("a");
        await registry.AddAsync(connection, CancellationToken.None).DefaultTimeout();
        var limit = new MessageRateLimit(PerConnection: 5, PerUser: 0);

        var counted = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => registry.TryCountMessageAsync(connection.ConnectionId, null, limit, CancellationToken.None))).DefaultTimeout();

        Assert.Equal(5, counted.Count(allowed => allowed));
    }

    [Fact]
    public async Task AnUnrecordedConnectionIsNotCounted()
    {
        var registry = await CreateRegistryAsync().DefaultTimeout();

        Assert.True(await registry.TryCountMessageAsync(Id("ghost"), null, new MessageRateLimit(1, 0), CancellationToken.None).DefaultTimeout());
        Assert.True(await registry.TryCountMessageAsync(Id("ghost"), null, new MessageRateLimit(1, 0), CancellationToken.None).DefaultTimeout());
        Assert.Null(await registry.GetAsync(Id("ghost"), CancellationToken.None).DefaultTimeout());
    }

    [Fact]
    public async Task IsSubscribedSaysWhetherTheConnectionHoldsTheTopic()
    {
        var registry = await CreateRegistryAsync().DefaultTimeout();
        var connection = NewConnection("a");
        await registry.AddAsync(connection, CancellationToken.None).DefaultTimeout();
        await registry.SubscribeAsync(connection.ConnectionId, Topic("t"), CancellationToken.None).DefaultTimeout();

        Assert.True(await registry.IsSubscribedAsync(connection.ConnectionId, Topic("t"), CancellationToken.None).DefaultTimeout());
        Assert.False(await registry.IsSubscribedAsync(connection.ConnectionId, Topic("other"), CancellationToken.None).DefaultTimeout());
        Assert.False(await registry.IsSubscribedAsync(Id("ghost"), Topic("t"), CancellationToken.None).DefaultTimeout());
    }

    [Fact]
    public async Task SubscribingTwiceListsTheConnectionOnce()
    {
        var registry = await CreateRegistryAsync().DefaultTimeout();
        var connection = NewConnection("a");
        await registry.AddAsync(connection, CancellationToken.None).DefaultTimeout();

        Assert.Equal(SubscribeResult.Subscribed, await registry.SubscribeAsync(connection.ConnectionId, Topic("t"), CancellationToken.None).DefaultTimeout());
        Assert.Equal(SubscribeResult.Subscribed, await registry.SubscribeAsync(connection.ConnectionId, Topic("t"), CancellationToken.None).DefaultTimeout());

        Assert.Equal([connection], await ListAllTopicAsync(registry, Topic("t"), 10));
    }

    [Fact]
    public async Task UnsubscribeEndsOnlyThatSubscription()
    {
        var registry = await CreateRegistryAsync().DefaultTimeout();
        var connection = NewConnection("a");
        await registry.AddAsync(connection, CancellationToken.None).DefaultTimeout();
        await registry.SubscribeAsync(connection.ConnectionId, Topic("keep"), CancellationToken.None).DefaultTimeout();
        await registry.SubscribeAsync(connection.ConnectionId, Topic("drop"), CancellationToken.None).DefaultTimeout();

        Assert.True(await registry.UnsubscribeAsync(connection.ConnectionId, Topic("drop"), CancellationToken.None).DefaultTimeout());
        Assert.False(await registry.UnsubscribeAsync(connection.ConnectionId, Topic("drop"), CancellationToken.None).DefaultTimeout());

        Assert.Empty(await ListAllTopicAsync(registry, Topic("drop"), 10));
        Assert.Equal([connection], await ListAllTopicAsync(registry, Topic("keep"), 10));
    }

    [Theory]
    [InlineData(7, 3)]
    [InlineData(6, 3)]
    [InlineData(1, 1)]
    [InlineData(5, 100)]
    public async Task TopicListsEverySubscriberOnceAcrossPages(int subscribers, int pageSize)
    {
        var registry = await CreateRegistryAsync().DefaultTimeout();
        var topic = Topic("room");
        var expected = new List<Connection>();
        for (var i = 0; i < subscribers; i++)
        {
            var connection = NewConnection($"c{i}", user: User($"u{i}"));
            await registry.AddAsync(connection, CancellationToken.None).DefaultTimeout();
            await registry.SubscribeAsync(connection.ConnectionId, topic, CancellationToken.None).DefaultTimeout();
            expected.Add(connection);
        }
        await registry.AddAsync(NewConnection("bystander"), CancellationToken.None).DefaultTimeout();

        var pages = await ListPagesAsync((p, ct) => registry.ListTopicAsync(topic, p, ct), pageSize);

        Assert.Equal((subscribers + pageSize - 1) / pageSize, pages.Count);
        Assert.All(pages, page => Assert.InRange(page.Items.Count, 1, pageSize));
        Assert.Null(pages[^1].NextCursor);
        Assert.Equal(expected.OrderBy(c => c.ConnectionId, StringComparer.Ordinal), pages.SelectMany(p => p.Items));
    }

    [Fact]
    public async Task UserListsOnlyThatUsersConnections()
    {
        var registry = await CreateRegistryAsync().DefaultTimeout();
        var alice = User("alice");
        var phone = NewConnection("phone", user: alice);
        var laptop = NewConnection("laptop", user: alice);
        await registry.AddAsync(phone, CancellationToken.None).DefaultTimeout();
        await registry.AddAsync(laptop, CancellationToken.None).DefaultTimeout();
        await registry.AddAsync(NewConnection("bob", user: User("bob")), CancellationToken.None).DefaultTimeout();
        await registry.AddAsync(NewConnection("anon", user: null), CancellationToken.None).DefaultTimeout();

        var listed = await ListAllUserAsync(registry, alice, 1);

        Assert.Equal(new[] { laptop, phone }.OrderBy(c => c.ConnectionId, StringComparer.Ordinal), listed);
    }

    [Fact]
    public async Task ExpiredConnectionIsNeitherReturnedNorListed()
    {
        var registry = await CreateRegistryAsync().DefaultTimeout();
        var connection = NewConnection("old", user: User("alice"));
        await registry.AddAsync(connection, CancellationToken.None).DefaultTimeout();
        await registry.SubscribeAsync(connection.ConnectionId, Topic("t"), CancellationToken.None).DefaultTimeout();

        Time.Advance(Options.TimeToLive + TimeSpan.FromSeconds(1));

        Assert.Null(await registry.GetAsync(connection.ConnectionId, CancellationToken.None).DefaultTimeout());
        Assert.Empty(await ListAllTopicAsync(registry, Topic("t"), 10));
        Assert.Empty(await ListAllUserAsync(registry, connection.UserId!, 10));
        Assert.Equal(SubscribeResult.UnknownConnection, await registry.SubscribeAsync(connection.ConnectionId, Topic("t2"), CancellationToken.None).DefaultTimeout());
    }

    [Fact]
    public async Task ExpiredConnectionIdCanBeRecordedAgain()
    {
        var registry = await CreateRegistryAsync().DefaultTimeout();
        var old = NewConnection("reused");
        await registry.AddAsync(old, CancellationToken.None).DefaultTimeout();
        Time.Advance(Options.TimeToLive + TimeSpan.FromSeconds(1));
        var fresh = old with { ConnectedAt = Time.GetUtcNow(), UserId = "someone-else" };

        await registry.AddAsync(fresh, CancellationToken.None).DefaultTimeout();

        Assert.Equal(fresh, await registry.GetAsync(fresh.ConnectionId, CancellationToken.None).DefaultTimeout());
    }

    [Fact]
    public async Task PageSizeMustBePositive()
    {
        var registry = await CreateRegistryAsync().DefaultTimeout();

        await Assert.ThrowsAnyAsync<ArgumentOutOfRangeException>(() => registry.ListTopicAsync(Topic("t"), new PageRequest(0), CancellationToken.None)).DefaultTimeout();
    }

    [Fact]
    public async Task A_range_of_a_topic_lists_after_its_cursor_up_to_its_end_included_page_by_page()
    {
        var registry = await CreateRegistryAsync().DefaultTimeout();
        var topic = Topic("range");
        var names = Enumerable.Range(0, 12).Select(i => $"r{i:D2}").ToList();
        foreach (var name in names)
        {
            await registry.AddAsync(NewConnection(name), CancellationToken.None).DefaultTimeout();
            await registry.SubscribeAsync(Id(name), topic, CancellationToken.None).DefaultTimeout();
        }

        var pages = await ListPagesAsync((p, ct) => registry.ListTopicAsync(topic, p with { Cursor = p.Cursor ?? Id("r02"), Until = Id("r08") }, ct), 2);
        var past = await registry.ListTopicAsync(topic, new PageRequest(5, Id("r11"), Id("r11")), CancellationToken.None).DefaultTimeout();

        Assert.Equal(names[3..9].Select(Id), pages.SelectMany(p => p.Items).Select(c => c.ConnectionId));
        Assert.Empty(past.Items);
        Assert.Null(past.NextCursor);
    }

    protected string Id(string name) => $"{_prefix}{name}=";

    protected string Topic(string name) => $"room:{_prefix}-{name}";

    protected string User(string name) => $"{name}-{_prefix}";

    protected Connection NewConnection(string name, string? user = "alice") =>
        new(Id(name), user is null ? null : user.Contains(_prefix) ? user : User(user), Time.GetUtcNow(), "abcde12345.execute-api.us-east-1.amazonaws.com", "prod", "203.0.113.10");

    protected static async Task<List<ConnectionPage>> ListPagesAsync(Func<PageRequest, CancellationToken, Task<ConnectionPage>> list, int pageSize)
    {
        var pages = new List<ConnectionPage>();
        string? cursor = null;
        do
        {
            var page = await list(new PageRequest(pageSize, cursor), CancellationToken.None).DefaultTimeout();
            pages.Add(page);
            cursor = page.NextCursor;
            Assert.True(pages.Count < 10_000, "paging does not end");
        }
        while (cursor is not null);
        return pages;
    }

    protected static async Task<List<Connection>> ListAllTopicAsync(IConnectionRegistry registry, string topic, int pageSize) =>
        (await ListPagesAsync((p, ct) => registry.ListTopicAsync(topic, p, ct), pageSize)).SelectMany(p => p.Items).ToList();

    protected static async Task<List<Connection>> ListAllUserAsync(IConnectionRegistry registry, string user, int pageSize) =>
        (await ListPagesAsync((p, ct) => registry.ListUserAsync(user, p, ct), pageSize)).SelectMany(p => p.Items).ToList();
}
