using Microsoft.Extensions.Logging;
using Realtime.Connect.Management;
using Realtime.Connect.Registry;

namespace Realtime.Router.FanOut;

/// <summary>
/// Posts one payload to a range of an audience, in connection id order: reads the registry page by page (the next
/// page loads while this one is posted, so memory holds two pages whatever the audience), keeps as many posts in
/// flight as <see cref="AdaptiveConcurrency"/> allows within the <see cref="RateBudget"/>, posts again what failed in
/// a way that may pass (429, 5xx, timeouts) until it passes or time runs out, removes gone connections in the
/// background, and saves its progress (<see cref="Watermark"/>) as it goes when asked to. When
/// <c>stop</c> fires it starts no more posts, lets those in flight finish and reports where it stopped.
/// </summary>
public sealed class RangeDelivery(
    IConnectionRegistry registry,
    IConnectionsClient connections,
    ConnectionsEndpoints endpoints,
    AdaptiveConcurrency concurrency,
    RateBudget rate,
    FanOutOptions options,
    TimeProvider time,
    ILogger<RangeDelivery> logger)
{
    private static readonly TimeSpan RepostDelay = TimeSpan.FromMilliseconds(200);

    // For the run below (a nested type does not see a primary constructor's parameters).
    private IConnectionRegistry Registry => registry;
    private IConnectionsClient Connections => connections;
    private ConnectionsEndpoints Endpoints => endpoints;
    private AdaptiveConcurrency Concurrency => concurrency;
    private RateBudget Rate => rate;
    private FanOutOptions Options => options;
    private TimeProvider Time => time;
    private ILogger Logger => logger;

    /// <param name="list">Reads one page of the audience.</param>
    /// <param name="payload">What every connection gets.</param>
    /// <param name="from">Start after this connection id (null: from the first).</param>
    /// <param name="pending">Connections before <paramref name="from"/> whose post an earlier run began but never saw end: posted first.</param>
    /// <param name="until">End at this connection id, included (null: at the last).</param>
    /// <param name="checkpoint">Saves progress, a cursor and the posts pending before it (called at most every <see cref="FanOutOptions.CheckpointInterval"/>, one at a time); null saves nothing.</param>
    /// <param name="stop">Start no more posts.</param>
    /// <param name="abort">Give up at once, posts in flight included.</param>
    public async Task<RangeOutcome> PostAsync(
        Func<PageRequest, CancellationToken, Task<ConnectionPage>> list,
        ReadOnlyMemory<byte> payload,
        string? from,
        IReadOnlyList<string> pending,
        string? until,
        Func<string, IReadOnlyList<string>, CancellationToken, Task>? checkpoint,
        CancellationToken stop,
        CancellationToken abort)
    {
        var run = new Run(this, payload, from, abort);
        var finished = false;
        try
        {
            // What an earlier run began and never saw end: the only posts a resumed range may repeat. Each stays
            // pending in this run's saves until its post ends, also if this run stops before beginning it.
            var leftOver = pending.Select(id => (Id: id, Place: run.Mark.Aside(id))).ToList();
            foreach (var (connectionId, place) in leftOver)
            {
                if (stop.IsCancellationRequested) break;
                if (await registry.GetAsync(connectionId, abort).ConfigureAwait(false) is { } connection) await run.StartAsync(connection, place).ConfigureAwait(false);
                else run.Mark.Finish(place); // gone meanwhile: nothing to post
            }
            var page = await list(new PageRequest(options.PageSize, from, until), abort).ConfigureAwait(false);
            while (true)
            {
                var next = page.NextCursor is { } cursor ? list(new PageRequest(options.PageSize, cursor, until), abort) : null;
                var handedOut = false;
                try
                {
                    foreach (var connection in page.Items)
                    {
                        if (stop.IsCancellationRequested) break;
                        await run.StartAsync(connection).ConfigureAwait(false);
                        if (checkpoint is not null) await run.CheckpointAsync(checkpoint).ConfigureAwait(false);
                    }
                    handedOut = !stop.IsCancellationRequested;
                }
                finally
                {
                    // Abandoned early (stopped, cancelled, failed): the read-ahead must not fault unobserved.
                    if (!handedOut) next?.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                }
                if (!handedOut) break;
                if (next is null)
                {
                    finished = true;
                    break;
                }
                page = await next.ConfigureAwait(false);
            }
        }
        finally
        {
            // Also on failure: what was posted is counted, and what was found gone is still gone.
            await run.DrainAsync().ConfigureAwait(false);
        }
        // A save still running must not outlive the range: a hand-off is saved after it.
        await run.LastCheckpoint.ConfigureAwait(false);
        var (lastBegun, unfinished) = run.Mark.Snapshot();
        return new RangeOutcome(run.Tally.ToReport(), finished && run.AllFinished, lastBegun, unfinished);
    }

    /// <summary>The state of one range's posting.</summary>
    private sealed class Run
    {
        private readonly RangeDelivery _owner;
        private readonly ReadOnlyMemory<byte> _payload;
        private readonly CancellationToken _abort;
        private readonly GoneConnections _gone;
        private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _pending = 1; // the producer's own hold, let go in DrainAsync
        private int _unfinished;
        private long _lastSave;
        private string? _saved;

        public Run(RangeDelivery owner, ReadOnlyMemory<byte> payload, string? from, CancellationToken abort)
        {
            _owner = owner;
            _payload = payload;
            _abort = abort;
            _saved = from;
            _lastSave = owner.Time.GetTimestamp();
            Mark = new Watermark(from);
            _gone = new GoneConnections(owner.Registry, owner.Options.RemoveConcurrency, owner.Options.PageSize, owner.Logger, abort);
        }

        public FanOutTally Tally { get; } = new();
        public Watermark Mark { get; }
        public Task LastCheckpoint { get; private set; } = Task.CompletedTask;
        public bool AllFinished => Volatile.Read(ref _unfinished) == 0;

        /// <param name="place">Its place in <see cref="Mark"/> when it has one already (a post an earlier run left pending).</param>
        public async ValueTask StartAsync(Connection connection, object? place = null)
        {
            await _owner.Rate.TakeAsync(_abort).ConfigureAwait(false);
            await _owner.Concurrency.WaitAsync(_abort).ConfigureAwait(false);
            place ??= Mark.Start(connection.ConnectionId);
            Interlocked.Increment(ref _pending);
            _ = PostAsync(connection, place);
        }

        /// <summary>Starts a save when the last save is done and old enough; rethrows a failed save.</summary>
        public async ValueTask CheckpointAsync(Func<string, IReadOnlyList<string>, CancellationToken, Task> checkpoint)
        {
            if (!LastCheckpoint.IsCompleted) return;
            await LastCheckpoint.ConfigureAwait(false); // a lost lease ends the range here
            if (_owner.Time.GetElapsedTime(_lastSave) < _owner.Options.CheckpointInterval) return;
            var (cursor, pending) = Mark.Snapshot();
            if (cursor is null || (cursor == _saved && pending.Count == 0)) return;
            _saved = cursor;
            _lastSave = _owner.Time.GetTimestamp();
            LastCheckpoint = checkpoint(cursor, pending, _abort);
        }

        public async Task DrainAsync()
        {
            if (Interlocked.Decrement(ref _pending) == 0) _drained.TrySetResult();
            await _drained.Task.ConfigureAwait(false);
            await _gone.CompleteAsync().ConfigureAwait(false);
        }

        private async Task PostAsync(Connection connection, object place)
        {
            var slotHeld = true;
            try
            {
                var target = new ConnectionTarget(_owner.Endpoints.For(connection), connection.ConnectionId);
                while (true)
                {
                    var result = await _owner.Connections.PostAsync(target, _payload, _abort).ConfigureAwait(false);
                    _owner.Concurrency.Release(result);
                    slotHeld = false;
                    if (!MayPass(result.Status))
                    {
                        Tally.Count(result);
                        Mark.Finish(place);
                        if (result.Status == ConnectionsStatus.Gone) await _gone.AddAsync(connection.ConnectionId, _abort).ConfigureAwait(false);
                        return;
                    }
                    // Still throttled or failing after the client's own retries: wait, then queue up again for a slot.
                    // Also after stop: the drain time is there for posts already begun to end, and one left
                    // unfinished would make a hand-off repeat every post after it. Only abort gives up.
                    Tally.CountRepost(result);
                    await Task.Delay(RepostDelay, _owner.Time, _abort).ConfigureAwait(false);
                    await _owner.Concurrency.WaitAsync(_abort).ConfigureAwait(false);
                    slotHeld = true;
                }
            }
            catch (OperationCanceledException) when (_abort.IsCancellationRequested)
            {
                // Aborted: this post's outcome is unknown, so the mark stays before it.
                Interlocked.Increment(ref _unfinished);
                if (slotHeld) _owner.Concurrency.Release(default);
            }
            finally
            {
                if (Interlocked.Decrement(ref _pending) == 0) _drained.TrySetResult();
            }
        }

        private static bool MayPass(ConnectionsStatus status) =>
            status is ConnectionsStatus.Throttled or ConnectionsStatus.ServerError or ConnectionsStatus.TimedOut or ConnectionsStatus.TransportError;
    }
}
