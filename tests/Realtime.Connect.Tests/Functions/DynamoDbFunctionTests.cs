using Amazon.DynamoDBv2;
using Microsoft.Extensions.Time.Testing;
using Realtime.Connect.Functions;
using Realtime.Connect.Registry;
using Realtime.Connect.Registry.DynamoDb;
using Realtime.Testing;
using Realtime.Testing.DynamoDb;
using Realtime.Testing.Functions;

namespace Realtime.Connect.Tests.Functions;

/// <summary>
/// The functions on DynamoDB Local, counting the requests each one sends (retries included) and failing DynamoDB on
/// purpose to show what a caller gets and what stays written.
/// </summary>
public sealed class DynamoDbFunctionTests : IAsyncLifetime, IDisposable
{
    private readonly DynamoDbTraffic _traffic = new();
    private readonly CapturedLog _log = new();
    private readonly string _prefix = Guid.NewGuid().ToString("N")[..10];
    private AmazonDynamoDBClient _client = null!;
    private DynamoDbConnectionRegistry _registry = null!;

    public async Task InitializeAsync()
    {
        var dynamo = await DynamoDbLocal.GetSharedAsync().DefaultTimeout(TimeSpan.FromMinutes(8));
        // Two SDK retries keep the failure tests short; the behaviour is the same with the default.
        _client = dynamo.CreateClient(_traffic, maxErrorRetry: 2);
        _registry = new DynamoDbConnectionRegistry(_client, new DynamoDbRegistryOptions { TableName = dynamo.TableName }, new RegistryOptions(), TimeProvider.System);
    }

    [Fact]
    public async Task ConnectIsOneWrite()
    {
        var response = await ProxyEvents.InvokeAsync(new ConnectFunction(_registry).FunctionHandler, ProxyEvents.Connect(Id("c"), "alice"));

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(new Dictionary<string, int> { ["PutItem"] = 1 }, _traffic.Counts);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(24)]
    [InlineData(25)]
    [InlineData(60)]
    public async Task DisconnectIsOneQueryAndABatchPer25Items(int subscriptions)
    {
        var id = Id("d");
        await _registry.AddAsync(new Connection(id, "alice", DateTimeOffset.UtcNow, "d", "s", null), CancellationToken.None).DefaultTimeout();
        for (var i = 0; i < subscriptions; i++) await _registry.SubscribeAsync(id, $"room:{_prefix}-{i}", CancellationToken.None).DefaultTimeout();
        _traffic.Reset();

        var response = await ProxyEvents.InvokeAsync(new DisconnectFunction(_registry).FunctionHandler, ProxyEvents.Disconnect(id));

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(new Dictionary<string, int>
        {
            ["Query"] = 1,
            ["BatchWriteItem"] = (subscriptions + 1 + 24) / 25,
        }, _traffic.Counts);
        Assert.Null(await _registry.GetAsync(id, CancellationToken.None).DefaultTimeout());
    }

    [Fact]
    public async Task RemovingTwelveGoneConnectionsIsAQueryEachAndOneBatch()
    {
        var ids = Enumerable.Range(0, 12).Select(i => Id($"g{i}")).ToList();
        foreach (var id in ids)
        {
            await _registry.AddAsync(new Connection(id, null, DateTimeOffset.UtcNow, "d", "s", null), CancellationToken.None).DefaultTimeout();
            await _registry.SubscribeAsync(id, $"wishlist:{_prefix}", CancellationToken.None).DefaultTimeout();
        }
        _traffic.Reset();

        Assert.Equal(12, await _registry.RemoveAllAsync(ids, CancellationToken.None).DefaultTimeout());

        // 24 items (a subscription and the connection's own item each) share one BatchWriteItem.
        Assert.Equal(new Dictionary<string, int> { ["Query"] = 12, ["BatchWriteItem"] = 1 }, _traffic.Counts);
    }

    [Theory]
    [InlineData(10, 3)]
    [InlineData(12, 3)]
    [InlineData(250, 100)]
    public async Task ListingATopicIsOneQueryPerPage(int subscribers, int pageSize)
    {
        var topic = $"wishlist:{_prefix}";
        for (var i = 0; i < subscribers; i++)
        {
            var id = Id($"s{i}");
            await _registry.AddAsync(new Connection(id, null, DateTimeOffset.UtcNow, "d", "s", null), CancellationToken.None).DefaultTimeout();
            await _registry.SubscribeAsync(id, topic, CancellationToken.None).DefaultTimeout();
        }
        _traffic.Reset();

        var listed = 0;
        string? cursor = null;
        do
        {
            var page = await _registry.ListTopicAsync(topic, new PageRequest(pageSize, cursor), CancellationToken.None).DefaultTimeout();
            listed += page.Items.Count;
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(subscribers, listed);
        Assert.Equal(new Dictionary<string, int> { ["Query"] = (subscribers + pageSize - 1) / pageSize }, _traffic.Counts);
    }

    [Fact]
    public async Task FailingPutIsRetriedThenA500AndNothingIsRecorded()
    {
        _traffic.Fail("PutItem");

        var response = await ProxyEvents.InvokeAsync(new ConnectFunction(_registry, logger: _log.For<ConnectFunction>()).FunctionHandler, ProxyEvents.Connect(Id("f"), "alice"));

        Assert.Equal(500, response.StatusCode);
        Assert.Equal(3, _traffic["PutItem"]);
        Assert.Contains("InternalServerError", _log.Single("HandlerFailed").GetProperty("exception").GetString());
        _traffic.StopFailing();
        Assert.Null(await _registry.GetAsync(Id("f"), CancellationToken.None).DefaultTimeout());
    }

    [Fact]
    public async Task FailingCleanupIsRetriedThenA500AndTheConnectionStaysWhole()
    {
        var id = Id("g");
        await _registry.AddAsync(new Connection(id, "alice", DateTimeOffset.UtcNow, "d", "s", null), CancellationToken.None).DefaultTimeout();
        for (var i = 0; i < 30; i++) await _registry.SubscribeAsync(id, $"room:{_prefix}-{i}", CancellationToken.None).DefaultTimeout();
        _traffic.Fail("BatchWriteItem");

        var response = await ProxyEvents.InvokeAsync(new DisconnectFunction(_registry, _log.For<DisconnectFunction>()).FunctionHandler, ProxyEvents.Disconnect(id));

        Assert.Equal(500, response.StatusCode);
        Assert.Equal(3, _traffic["BatchWriteItem"]);
        _traffic.StopFailing();
        Assert.NotNull(await _registry.GetAsync(id, CancellationToken.None).DefaultTimeout());
        for (var i = 0; i < 30; i++)
        {
            var page = await _registry.ListTopicAsync($"room:{_prefix}-{i}", PageRequest.First(), CancellationToken.None).DefaultTimeout();
            Assert.Equal(id, Assert.Single(page.Items).ConnectionId);
        }

        var retried = await ProxyEvents.InvokeAsync(new DisconnectFunction(_registry).FunctionHandler, ProxyEvents.Disconnect(id));
        Assert.Equal(200, retried.StatusCode);
        Assert.Null(await _registry.GetAsync(id, CancellationToken.None).DefaultTimeout());
    }

    [Fact]
    public async Task UnprocessedDeletesAreSentAgainUntilDone()
    {
        var id = Id("u");
        await _registry.AddAsync(new Connection(id, "alice", DateTimeOffset.UtcNow, "d", "s", null), CancellationToken.None).DefaultTimeout();
        for (var i = 0; i < 10; i++) await _registry.SubscribeAsync(id, $"room:{_prefix}-{i}", CancellationToken.None).DefaultTimeout();
        _traffic.Reset();
        _traffic.LeaveBatchesUnprocessed(2);

        var response = await ProxyEvents.InvokeAsync(new DisconnectFunction(_registry).FunctionHandler, ProxyEvents.Disconnect(id));

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(3, _traffic["BatchWriteItem"]);
        Assert.Null(await _registry.GetAsync(id, CancellationToken.None).DefaultTimeout());
        Assert.Empty((await _registry.ListTopicAsync($"room:{_prefix}-3", PageRequest.First(), CancellationToken.None).DefaultTimeout()).Items);
    }

    private string Id(string name) => $"{_prefix}{name}=";

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _client?.Dispose();
        _log.Dispose();
    }
}
