using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Realtime.Connect.Management;
using Realtime.Connect.Registry;
using Realtime.Router.FanOut;
using Realtime.Testing;

namespace Realtime.Router.Tests.FanOut;

/// <summary>
/// Sharded fan-out on each registry and its ledger: an audience split into shards reaches everyone once; a split made
/// again never overlaps the first; a shard resumes where its dead invocation last saved; a shard out of time hands
/// the rest on without repeating anything.
/// </summary>
public abstract partial class FanOutSpecification
{
    private static readonly FanOutOptions Sharded = new() { DirectAudience = 50, ShardSize = 40, SplitWidth = 2, PageSize = 10, MaxConcurrency = 4, CheckpointInterval = TimeSpan.Zero, DrainTime = TimeSpan.Zero };

    [Fact]
    public async Task A_small_audience_is_delivered_directly_without_a_shard()
    {
        var ids = await SubscribeAsync(Topic, 50, live: true);
        var (fanOut, queue, _, _) = await ShardingAsync(Sharded);

        var result = await fanOut.StartAsync(new Delivery("m-small", Topic, Payload), CancellationToken.None).DefaultTimeout();

        Assert.False(result.IsQueued);
        Assert.Equal(50, result.Report!.Delivered);
        Assert.Equal(0, queue.Reader.Count);
        Assert.All(ids, id => Assert.Single(Server.MessagesTo(id)));
    }

    [Fact]
    public async Task A_large_audience_is_split_into_shards_that_together_reach_everyone_exactly_once()
    {
        var ids = await SubscribeAsync(Topic, 230, live: true);
        var (fanOut, queue, planner, worker) = await ShardingAsync(Sharded);

        var result = await fanOut.StartAsync(new Delivery("m-large", Topic, Payload), CancellationToken.None).DefaultTimeout();
        var worked = await DrainAsync(queue, planner, worker);

        Assert.True(result.IsQueued);
        Assert.Equal(3, result.Shards); // two shards of 40 and the open rest
        // 230 = 5 x 40 + 30: six closed shards, each posted once; the open rest was split twice more.
        Assert.Equal(6, worked.Count(o => o.State == ShardState.Posted));
        Assert.All(worked, o => Assert.True(o.Report.Delivered <= 40));
        Assert.All(ids, id => Assert.Single(Server.MessagesTo(id)));
    }

    [Fact]
    public async Task A_split_made_again_gives_the_same_shards_even_when_the_audience_changed_meanwhile()
    {
        await SubscribeAsync(Topic, 100, live: false);
        var (_, queue, planner, _) = await ShardingAsync(Sharded);
        var open = Shard.Whole(new Delivery("m-again", Topic, Payload));

        await planner.SplitAsync(open, CancellationToken.None).DefaultTimeout();
        var first = Drain(queue);
        await SubscribeAsync(Topic, 30, live: false);
        await planner.SplitAsync(open, CancellationToken.None).DefaultTimeout();
        var second = Drain(queue);

        Assert.Equal(3, first.Count);
        Assert.Equal(first.Select(s => s.Range), second.Select(s => s.Range));
    }

    [Fact]
    public async Task A_shard_whose_invocation_died_resumes_from_its_last_saved_progress()
    {
        var ids = await SubscribeAsync(Topic, 40, live: true);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = Sharded with { MaxConcurrency = 1 };
        var dying = new DyingClient(Client(), diesAfter: 25);
        var (_, queue, planner, worker) = await ShardingAsync(options, dying, clock);
        await planner.SplitAsync(Shard.Whole(new Delivery("m-died", Topic, Payload)), CancellationToken.None).DefaultTimeout();
        var shard = Drain(queue)[0];
        var deadline = clock.GetUtcNow() + TimeSpan.FromMinutes(5);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => worker.PostAsync(shard, deadline, dying.Death).DefaultTimeout());
        Assert.Equal(ShardState.Busy, (await worker.PostAsync(shard, deadline, CancellationToken.None).DefaultTimeout()).State);
        clock.Advance(TimeSpan.FromMinutes(6)); // its lease runs out, as SQS's visibility timeout does
        var resumed = await worker.PostAsync(shard, deadline: null, CancellationToken.None).DefaultTimeout();

        Assert.Equal(ShardState.Posted, resumed.State);
        Assert.All(ids, id => Assert.InRange(Server.MessagesTo(id).Count, 1, 2));
        // Saved as each page of 10 was handed out: only the dead run's posts since its last save repeat, the ones
        // just before it died (the range is posted in connection id order).
        var order = ids.Order(StringComparer.Ordinal).ToList();
        var repeated = order.Select((id, i) => (id, i)).Where(x => Server.MessagesTo(x.id).Count > 1).Select(x => x.i).ToList();
        Assert.InRange(repeated.Count, 0, 25 - 9);
        Assert.Equal(Enumerable.Range(25 - repeated.Count, repeated.Count), repeated);
        Assert.Equal(40 - 25 + repeated.Count, resumed.Report.Delivered);
        Assert.Equal(ShardState.AlreadyDone, (await worker.PostAsync(shard, deadline: null, CancellationToken.None).DefaultTimeout()).State);
    }

    [Fact]
    public async Task A_resumed_range_posts_what_was_left_pending_then_goes_on_after_its_cursor()
    {
        var ids = (await SubscribeAsync(Topic, 5, live: true)).Order(StringComparer.Ordinal).ToList();
        var delivery = FanOutParts.Delivery(Registry, Client(), new ConnectionsEndpoints(Server.Endpoint), Sharded);

        var outcome = await delivery.PostAsync((page, token) => Registry.ListTopicAsync(Topic, page, token), Payload,
            from: ids[2], pending: [ids[0]], until: null, checkpoint: null, CancellationToken.None, CancellationToken.None).DefaultTimeout();

        Assert.True(outcome.Finished);
        Assert.Empty(outcome.Pending);
        Assert.Equal([1, 0, 0, 1, 1], ids.Select(id => Server.MessagesTo(id).Count));
    }

    [Fact]
    public async Task A_resumed_range_stopped_before_it_begins_keeps_every_left_over_post_pending()
    {
        var ids = (await SubscribeAsync(Topic, 5, live: true)).Order(StringComparer.Ordinal).ToList();
        var delivery = FanOutParts.Delivery(Registry, Client(), new ConnectionsEndpoints(Server.Endpoint), Sharded);
        using var stopped = new CancellationTokenSource();
        await stopped.CancelAsync();

        var outcome = await delivery.PostAsync((page, token) => Registry.ListTopicAsync(Topic, page, token), Payload,
            from: ids[2], pending: [ids[0], ids[1]], until: null, checkpoint: null, stopped.Token, CancellationToken.None).DefaultTimeout();

        Assert.False(outcome.Finished);
        Assert.Equal(ids[2], outcome.Cursor);
        Assert.Equal([ids[0], ids[1]], outcome.Pending);
        Assert.All(ids, id => Assert.Empty(Server.MessagesTo(id)));
    }

    [Fact]
    public async Task One_slow_post_does_not_hold_back_what_a_dying_invocation_saved()
    {
        var ids = (await SubscribeAsync(Topic, 40, live: true)).Order(StringComparer.Ordinal).ToList();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        // The third connection's post hangs until the invocation dies; twenty others finish meanwhile, 10 ms each, so
        // that a save (a DynamoDB write) keeps up with them.
        var dying = new DyingClient(Client(), diesAfter: 20, hangsFor: ids[2], each: TimeSpan.FromMilliseconds(10));
        var (_, queue, planner, worker) = await ShardingAsync(Sharded with { MaxConcurrency = 4 }, dying, clock);
        await planner.SplitAsync(Shard.Whole(new Delivery("m-slow", Topic, Payload)), CancellationToken.None).DefaultTimeout();
        var shard = Drain(queue)[0];

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => worker.PostAsync(shard, clock.GetUtcNow() + TimeSpan.FromMinutes(5), dying.Death).DefaultTimeout());
        clock.Advance(TimeSpan.FromMinutes(6));
        var resumed = await worker.PostAsync(shard, deadline: null, CancellationToken.None).DefaultTimeout();

        Assert.Equal(ShardState.Posted, resumed.State);
        Assert.Single(Server.MessagesTo(ids[2]));
        Assert.All(ids, id => Assert.InRange(Server.MessagesTo(id).Count, 1, 2));
        // Saved with the hanging post pending: only the posts that ended after the last save repeat (those in flight,
        // four at most, and any that ended while the last save was written), not the seventeen that finished after
        // the slow one, as a save of the finished prefix alone would make them.
        Assert.InRange(ids.Count(id => Server.MessagesTo(id).Count > 1), 0, 10);
    }

    [Fact]
    public async Task A_shard_out_of_time_saves_where_it_stopped_queues_itself_again_and_repeats_nothing()
    {
        var ids = await SubscribeAsync(Topic, 40, live: true);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        // Each post takes 100 ms of the invocation's clock; its deadline comes after about 12.
        var slow = new ClockAdvancingClient(Client(), clock, TimeSpan.FromMilliseconds(100));
        var (_, queue, planner, worker) = await ShardingAsync(Sharded with { MaxConcurrency = 1 }, slow, clock);
        await planner.SplitAsync(Shard.Whole(new Delivery("m-late", Topic, Payload)), CancellationToken.None).DefaultTimeout();
        var shard = Drain(queue)[0];

        var first = await worker.PostAsync(shard, clock.GetUtcNow() + TimeSpan.FromMilliseconds(1250), CancellationToken.None).DefaultTimeout();
        var handedOn = Drain(queue);
        var second = await worker.PostAsync(handedOn.Single(), deadline: null, CancellationToken.None).DefaultTimeout();

        Assert.Equal(ShardState.HandedOff, first.State);
        Assert.InRange(first.Report.Delivered, 1, 39);
        Assert.Equal(shard.Range, handedOn.Single().Range);
        Assert.Equal(ShardState.Posted, second.State);
        Assert.Equal(40, first.Report.Delivered + second.Report.Delivered);
        Assert.All(ids, id => Assert.Single(Server.MessagesTo(id)));
    }

    private ConnectionsClient Client() => new(new ConnectionsClientOptions { Randomizer = static () => 0 }, Time, NullLogger.Instance);

    private async Task<(TopicFanOut FanOut, InProcessShardQueue Queue, ShardPlanner Planner, ShardWorker Worker)> ShardingAsync(
        FanOutOptions options, IConnectionsClient? client = null, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        var queue = new InProcessShardQueue();
        var ledger = await CreateLedgerAsync(time);
        var delivery = FanOutParts.Delivery(Registry, client ?? Client(), new ConnectionsEndpoints(Server.Endpoint), options, time);
        var planner = new ShardPlanner(Registry, ledger, queue, options);
        var worker = new ShardWorker(Registry, ledger, queue, delivery, options, time, NullLogger<ShardWorker>.Instance);
        return (new TopicFanOut(Registry, delivery, planner, options, NullLogger<TopicFanOut>.Instance), queue, planner, worker);
    }

    private static List<Shard> Drain(InProcessShardQueue queue)
    {
        var shards = new List<Shard>();
        while (queue.Reader.TryRead(out var shard)) shards.Add(shard);
        return shards;
    }

    /// <summary>Works the queue until it is empty, as the shard function would, one shard at a time.</summary>
    private static async Task<List<ShardOutcome>> DrainAsync(InProcessShardQueue queue, ShardPlanner planner, ShardWorker worker)
    {
        var outcomes = new List<ShardOutcome>();
        while (queue.Reader.TryRead(out var shard))
        {
            if (shard.Range.IsOpen) await planner.SplitAsync(shard, CancellationToken.None).DefaultTimeout();
            else outcomes.Add(await worker.PostAsync(shard, deadline: null, CancellationToken.None).DefaultTimeout());
        }
        return outcomes;
    }

    /// <summary>
    /// Dies (cancels <see cref="Death"/>, as a killed process stops everything) once it has made <c>diesAfter</c> posts;
    /// a post to <c>hangsFor</c> gets no answer before then, and never arrives.
    /// </summary>
    private sealed class DyingClient(IConnectionsClient inner, int diesAfter, string? hangsFor = null, TimeSpan each = default) : IConnectionsClient
    {
        private readonly CancellationTokenSource _death = new();
        private int _posts;

        public CancellationToken Death => _death.Token;

        public async ValueTask<ConnectionsResult> PostAsync(ConnectionTarget target, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        {
            if (target.ConnectionId == hangsFor && !_death.IsCancellationRequested)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            if (each > TimeSpan.Zero) await Task.Delay(each, cancellationToken);
            var result = await inner.PostAsync(target, data, cancellationToken);
            if (Interlocked.Increment(ref _posts) == diesAfter) await _death.CancelAsync();
            return result;
        }

        public ValueTask<ConnectionsResult<ConnectionInfo>> GetAsync(ConnectionTarget target, CancellationToken cancellationToken) => inner.GetAsync(target, cancellationToken);
        public ValueTask<ConnectionsResult> DeleteAsync(ConnectionTarget target, CancellationToken cancellationToken) => inner.DeleteAsync(target, cancellationToken);
    }

    /// <summary>Each post takes <c>cost</c> of the fake clock, so a deadline on that clock comes mid-shard.</summary>
    private sealed class ClockAdvancingClient(IConnectionsClient inner, FakeTimeProvider clock, TimeSpan cost) : IConnectionsClient
    {
        public async ValueTask<ConnectionsResult> PostAsync(ConnectionTarget target, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        {
            var result = await inner.PostAsync(target, data, cancellationToken);
            clock.Advance(cost);
            return result;
        }

        public ValueTask<ConnectionsResult<ConnectionInfo>> GetAsync(ConnectionTarget target, CancellationToken cancellationToken) => inner.GetAsync(target, cancellationToken);
        public ValueTask<ConnectionsResult> DeleteAsync(ConnectionTarget target, CancellationToken cancellationToken) => inner.DeleteAsync(target, cancellationToken);
    }
}
