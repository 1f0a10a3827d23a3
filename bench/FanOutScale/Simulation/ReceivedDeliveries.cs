using System.Collections.Concurrent;

namespace Realtime.Bench.FanOutScale.Simulation;

/// <summary>
/// What <see cref="AwsLikeConnectionsServer"/> delivered, per message id (the body's top-level <c>messageId</c>), and how
/// it answered overall. Thread-safe and cheap per call: each request touches one dictionary entry and a few counters.
/// Several runs can share one server, each with its own message id, or call <see cref="Reset"/> between them.
/// </summary>
public sealed class ReceivedDeliveries
{
    private readonly ConcurrentDictionary<string, MessageDeliveries> _messages = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider;
    private long _requests;
    private long _throttled;
    private long _serverErrors;
    private long _stalls;
    private long _goneAnswers;
    private long _deliveries;

    public ReceivedDeliveries(TimeProvider? timeProvider = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    public long Requests => Interlocked.Read(ref _requests);
    public long Throttled => Interlocked.Read(ref _throttled);
    public long ServerErrors => Interlocked.Read(ref _serverErrors);
    public long Stalls => Interlocked.Read(ref _stalls);
    public long GoneAnswers => Interlocked.Read(ref _goneAnswers);

    /// <summary>Deliveries of every message, repeats included.</summary>
    public long Deliveries => Interlocked.Read(ref _deliveries);

    /// <summary>The message ids seen so far.</summary>
    public IReadOnlyCollection<string> MessageIds => _messages.Keys.ToList();

    public ConnectionsCounters Snapshot() => new(Requests, Throttled, ServerErrors, Stalls, GoneAnswers, Deliveries);

    /// <summary>
    /// Sizes the message's table for its audience before the fan-out starts, so a million-connection run does not
    /// rehash its way up while it is being timed.
    /// </summary>
    public MessageDeliveries Expect(string messageId, int audience) =>
        _messages.GetOrAdd(messageId, static (id, size) => new MessageDeliveries(id, size), audience);

    /// <summary>The deliveries of one message (empty if none arrived yet).</summary>
    public MessageDeliveries For(string messageId) => Expect(messageId, 0);

    public bool WasDelivered(string messageId, string connectionId) =>
        _messages.TryGetValue(messageId, out var deliveries) && deliveries.WasDelivered(connectionId);

    /// <summary>Forgets every message and zeroes the counters; requests still in flight may land in either side.</summary>
    public void Reset()
    {
        _messages.Clear();
        Interlocked.Exchange(ref _requests, 0);
        Interlocked.Exchange(ref _throttled, 0);
        Interlocked.Exchange(ref _serverErrors, 0);
        Interlocked.Exchange(ref _stalls, 0);
        Interlocked.Exchange(ref _goneAnswers, 0);
        Interlocked.Exchange(ref _deliveries, 0);
    }

    /// <summary>Forgets one message, to free its memory once a run has been checked.</summary>
    public bool Forget(string messageId) => _messages.TryRemove(messageId, out _);

    internal void Record(string messageId, string connectionId)
    {
        Interlocked.Increment(ref _deliveries);
        var deliveries = _messages.TryGetValue(messageId, out var existing) ? existing : For(messageId);
        deliveries.Record(connectionId, _timeProvider.GetUtcNow());
    }

    internal long CountRequest() => Interlocked.Increment(ref _requests);
    internal void CountThrottled() => Interlocked.Increment(ref _throttled);
    internal void CountServerError() => Interlocked.Increment(ref _serverErrors);
    internal void CountStall() => Interlocked.Increment(ref _stalls);
    internal void CountGone() => Interlocked.Increment(ref _goneAnswers);
}
