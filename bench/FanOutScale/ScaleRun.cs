using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Realtime.Bench.FanOutScale.Simulation;
using Realtime.Bench.FanOutScale.Wiring;
using Realtime.Connect.Registry;
using Realtime.Connect.Registry.DynamoDb;
using Realtime.Testing.DynamoDb;

namespace Realtime.Bench.FanOutScale;

/// <summary>
/// One audience, end to end: subscribe it, publish one event to the publish queue, let the pools of invocations work
/// the publish and shard queues until both are drained, and read what the AWS-like server received.
/// </summary>
internal static class ScaleRun
{
    public static async Task<ScaleResult> RunAsync(int audience, ScaleSettings settings, AwsLikeConnectionsServer server, DynamoDbLocal? dynamo)
    {
        var topic = $"bench:{audience}:{Guid.NewGuid():N}";
        var (registry, ledger) = Stores(dynamo);
        var ids = dynamo is null ? await SubscribeAsync(registry, topic, audience) : await LoadAsync(dynamo, topic, audience);
        var expected = ids.Count(id => !server.IsGone(id));

        var publishQueue = new SimulatedQueue(settings.VisibilityTimeout);
        var shardQueue = new SimulatedQueue(settings.VisibilityTimeout);
        using var functions = new Functions(new KillableRegistry(registry), new KillableLedger(ledger), shardQueue, server.Endpoint, settings);
        var publishPool = new InvocationPool(publishQueue, functions.Publish.FunctionHandler, new InvocationPoolOptions(MaxConcurrency: 2, BatchSize: 10, FunctionTimeout: settings.FunctionTimeout));
        var shardPool = new InvocationPool(shardQueue, functions.ShardHandler(),
            new InvocationPoolOptions(MaxConcurrency: settings.Invocations, BatchSize: settings.ShardBatch, FunctionTimeout: settings.FunctionTimeout, KillProbability: settings.KillProbability, Seed: audience));

        using var stop = new CancellationTokenSource();
        var pools = Task.WhenAll(publishPool.RunAsync(stop.Token), shardPool.RunAsync(stop.Token));
        var before = server.Ledger.Snapshot();
        var published = DateTimeOffset.UtcNow;
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var messageId = publishQueue.Send($$$"""{"topic":"{{{topic}}}","event":"price_changed","data":{"sku":"B-1","price":12.5}}""");
        var deliveries = server.Ledger.Expect(messageId, expected);

        // Drained: both queues empty with nothing in flight, twice in a row a second apart.
        var limit = TimeSpan.FromSeconds(Math.Max(120, audience / 1_000.0));
        while (clock.Elapsed < limit)
        {
            await Task.Delay(500);
            if (publishQueue.IsDrained && shardQueue.IsDrained && publishPool.Running == 0 && shardPool.Running == 0)
            {
                await Task.Delay(1000);
                if (publishQueue.IsDrained && shardQueue.IsDrained && publishPool.Running == 0 && shardPool.Running == 0) break;
            }
        }
        await stop.CancelAsync();
        try { await pools; } catch (OperationCanceledException) { }
        var counters = server.Ledger.Snapshot() - before;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds / clock.Elapsed.TotalSeconds;

        var lost = ids.Count(id => !server.IsGone(id) && !deliveries.WasDelivered(id));
        var last = deliveries.LastDeliveryAt ?? published;
        return new ScaleResult(
            Audience: audience,
            Store: dynamo is null ? "in memory" : "DynamoDB Local",
            Seconds: (last - published).TotalSeconds,
            BoundSeconds: audience / settings.AccountRate,
            Invocations: publishPool.Invocations + shardPool.Invocations,
            Deliveries: deliveries.Deliveries,
            Duplicates: deliveries.Duplicates,
            Lost: lost,
            Throttled: counters.Throttled,
            Stalls: counters.Stalls,
            TimedOut: functions.TimedOutAttempts,
            Kills: shardPool.Kills + publishPool.Kills,
            Redelivered: shardQueue.Redelivered + publishQueue.Redelivered,
            DeadLettered: shardQueue.DeadLettered + publishQueue.DeadLettered,
            Shards: shardQueue.Sent,
            ItemsRead: functions.Registry.ItemsRead,
            Queries: functions.Registry.Queries,
            LedgerWrites: functions.Ledger.Writes,
            Drained: clock.Elapsed < limit,
            CoresBusy: cpu,
            Limits: functions.ShardLimits());
    }

    private static (IConnectionRegistry, IDeliveryLedger) Stores(DynamoDbLocal? dynamo)
    {
        if (dynamo is null) return (new InMemoryConnectionRegistry(), new InMemoryDeliveryLedger(TimeProvider.System));
        IAmazonDynamoDB client = dynamo.CreateClient();
        return (new DynamoDbConnectionRegistry(client, new DynamoDbRegistryOptions { TableName = dynamo.TableName }, new RegistryOptions(), TimeProvider.System),
            new DynamoDbDeliveryLedger(client, dynamo.TableName, TimeProvider.System));
    }

    /// <summary>API Gateway-shaped ids: 15 base64url characters and '='.</summary>
    private static List<string> NewIds(int audience) => Enumerable.Range(0, audience)
        .Select(_ => Convert.ToBase64String(RandomNumberGenerator.GetBytes(12)).Replace('+', '-').Replace('/', '_')[..15] + "=")
        .ToList();

    private static Connection NewConnection(string id) => new(id, null, DateTimeOffset.UtcNow, "abcde12345.execute-api.us-east-1.amazonaws.com", "prod", "203.0.113.10");

    /// <summary>
    /// Writes the connections and their subscriptions to DynamoDB Local in the registry's own item layout, 25 items a
    /// BatchWriteItem: what $connect and subscribe would have written, without 200,000 transactions.
    /// </summary>
    private static async Task<List<string>> LoadAsync(DynamoDbLocal dynamo, string topic, int audience)
    {
        var ids = NewIds(audience);
        var client = dynamo.CreateClient();
        var clock = Stopwatch.StartNew();
        var items = ids.Select(NewConnection).SelectMany(c =>
        {
            var expiry = new RegistryOptions().ExpiryOf(c);
            return new[] { ConnectionItem.Meta(c, expiry), ConnectionItem.Subscription(c, topic, expiry) };
        });
        await Parallel.ForEachAsync(items.Chunk(25), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (chunk, token) =>
        {
            var pending = new Dictionary<string, List<WriteRequest>> { [dynamo.TableName] = chunk.Select(i => new WriteRequest { PutRequest = new PutRequest { Item = i } }).ToList() };
            while (pending.Count > 0)
            {
                var response = await client.BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = pending }, token);
                pending = response.UnprocessedItems is { Count: > 0 } left ? left : [];
            }
        });
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  loaded {audience:N0} into DynamoDB Local in {clock.Elapsed.TotalSeconds:N1} s"));
        return ids;
    }

    /// <summary>Each connection connected and subscribed through the registry (in memory: as fast as a loop).</summary>
    private static async Task<List<string>> SubscribeAsync(IConnectionRegistry registry, string topic, int audience)
    {
        var ids = NewIds(audience);
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (id, token) =>
        {
            await registry.AddAsync(NewConnection(id), token);
            await registry.SubscribeAsync(id, topic, token);
        });
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  subscribed {audience:N0} in {clock.Elapsed.TotalSeconds:N1} s"));
        return ids;
    }
}

internal sealed record ScaleResult(
    int Audience, string Store, double Seconds, double BoundSeconds, long Invocations, long Deliveries, long Duplicates, long Lost, long Throttled,
    long Stalls, long TimedOut, long Kills, long Redelivered, long DeadLettered, long Shards, long ItemsRead, long Queries, long LedgerWrites, bool Drained, double CoresBusy, string Limits)
{
    public string Line() => string.Create(CultureInfo.InvariantCulture,
        $"audience {Audience}: {Seconds:0.00} s (bound {BoundSeconds:0.00} s, ratio {Seconds / BoundSeconds:0.00}), invocations {Invocations}, deliveries {Deliveries}, duplicates {Duplicates}, lost {Lost}, 429s {Throttled}");

    public string Detail() => string.Create(CultureInfo.InvariantCulture,
        $"  {Store}; shards queued {Shards}, kills {Kills}, redelivered {Redelivered}, dead-lettered {DeadLettered}; attempts timed out {TimedOut} (outcome unknown, so each may repeat; {Stalls} of them stalled by the server), " +
        $"duplicates beyond them {Math.Max(0, Duplicates - TimedOut)} (posts a killed invocation made after its last save); " +
        $"registry reads per delivery {(double)ItemsRead / Math.Max(1, Deliveries):0.00} items in {Queries} queries; ledger writes per delivery {(double)LedgerWrites / Math.Max(1, Deliveries):0.0000}{(Drained ? "" : "; NOT DRAINED")}; " +
        $"this process used {CoresBusy:0.00} cores; posts in flight allowed per shard instance at the end: {Limits}");
}
