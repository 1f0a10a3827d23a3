namespace Realtime.Bench.FanOutScale.Simulation;

/// <summary>
/// An SQS standard queue in memory, with the rules the fan-out's retries depend on: a received message is hidden for
/// the visibility timeout and comes back unless deleted in time; only its latest receipt handle deletes it (an older
/// one is ignored, as SQS does); one received more than <see cref="MaxReceiveCount"/> times goes to the dead-letter
/// list instead (the redrive policy). Time comes from a <see cref="TimeProvider"/>. Roughly first-in first-out, as a
/// standard queue is, but with no duplicate deliveries of its own: every redelivery here is one the consumer caused.
/// </summary>
public sealed class SimulatedQueue
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _timeProvider;
    private readonly Queue<QueueEntry> _visible = new();
    private readonly PriorityQueue<QueueEntry, long> _inFlight = new();
    private readonly Dictionary<string, QueueEntry> _byReceiptHandle = new(StringComparer.Ordinal);
    private readonly List<QueuedMessage> _deadLetters = [];
    private TaskCompletionSource _arrived = NewSignal();
    private int _visibleCount;
    private int _inFlightCount;
    private long _sent;
    private long _received;
    private long _redelivered;
    private long _deleted;
    private long _staleDeletes;
    private long _deadLettered;

    /// <param name="visibilityTimeout">How long a received message stays hidden; the template's queue says 180 s.</param>
    /// <param name="maxReceiveCount">Receives before the dead-letter list; the template's redrive policy says 5.</param>
    public SimulatedQueue(TimeSpan? visibilityTimeout = null, int maxReceiveCount = 5, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxReceiveCount, 1);
        VisibilityTimeout = visibilityTimeout ?? TimeSpan.FromSeconds(180);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(VisibilityTimeout, TimeSpan.Zero);
        MaxReceiveCount = maxReceiveCount;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    public TimeSpan VisibilityTimeout { get; }
    public int MaxReceiveCount { get; }

    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Messages handed out by receives, redeliveries included.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Receives of a message already received before (receive count above 1).</summary>
    public long Redelivered => Interlocked.Read(ref _redelivered);

    public long Deleted => Interlocked.Read(ref _deleted);

    /// <summary>Deletes with a receipt handle that was no longer the message's latest (ignored).</summary>
    public long StaleDeletes => Interlocked.Read(ref _staleDeletes);

    public long DeadLettered => Interlocked.Read(ref _deadLettered);

    /// <summary>Messages received and still hidden.</summary>
    public int InFlight
    {
        get
        {
            lock (_gate)
            {
                Promote();
                return _inFlightCount;
            }
        }
    }

    /// <summary>Messages a receive would hand out now.</summary>
    public int Visible
    {
        get
        {
            lock (_gate)
            {
                Promote();
                return _visibleCount;
            }
        }
    }

    /// <summary>Nothing left to receive, now or later: every message deleted or dead-lettered.</summary>
    public bool IsDrained
    {
        get
        {
            lock (_gate)
            {
                return _visibleCount == 0 && _inFlightCount == 0;
            }
        }
    }

    /// <summary>The messages moved to the dead-letter list, as last received.</summary>
    public IReadOnlyList<QueuedMessage> DeadLetters
    {
        get
        {
            lock (_gate)
            {
                return _deadLetters.ToList();
            }
        }
    }

    /// <summary>Sends a message; returns its id.</summary>
    public string Send(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var entry = new QueueEntry(Guid.NewGuid().ToString("D"), body, _timeProvider.GetUtcNow());
        TaskCompletionSource arrived;
        lock (_gate)
        {
            _visible.Enqueue(entry);
            _visibleCount++;
            arrived = Signal();
        }
        Interlocked.Increment(ref _sent);
        arrived.TrySetResult();
        return entry.MessageId;
    }

    /// <summary>Sends several messages at once (SQS takes ten per batch; this takes any number); returns their ids in order.</summary>
    public IReadOnlyList<string> SendBatch(IEnumerable<string> bodies)
    {
        ArgumentNullException.ThrowIfNull(bodies);
        var now = _timeProvider.GetUtcNow();
        var entries = bodies.Select(body => new QueueEntry(Guid.NewGuid().ToString("D"), body ?? throw new ArgumentException("A body is null.", nameof(bodies)), now)).ToList();
        if (entries.Count == 0) return [];
        TaskCompletionSource arrived;
        lock (_gate)
        {
            foreach (var entry in entries) _visible.Enqueue(entry);
            _visibleCount += entries.Count;
            arrived = Signal();
        }
        Interlocked.Add(ref _sent, entries.Count);
        arrived.TrySetResult();
        return entries.Select(entry => entry.MessageId).ToList();
    }

    /// <summary>
    /// Up to <paramref name="max"/> visible messages, each now hidden for the visibility timeout under a new receipt
    /// handle. A message past <see cref="MaxReceiveCount"/> receives goes to the dead-letter list instead.
    /// </summary>
    public IReadOnlyList<QueuedMessage> Receive(int max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var received = new List<QueuedMessage>(Math.Min(max, 16));
        lock (_gate)
        {
            var now = _timeProvider.GetUtcNow();
            Promote(now);
            while (received.Count < max && _visible.TryDequeue(out var entry))
            {
                if (entry.State != QueueEntryState.Visible) continue;
                _visibleCount--;
                if (entry.ReceiptHandle is { } stale) _byReceiptHandle.Remove(stale);

                if (entry.ReceiveCount >= MaxReceiveCount)
                {
                    entry.State = QueueEntryState.DeadLettered;
                    entry.ReceiptHandle = null;
                    _deadLetters.Add(new QueuedMessage(entry.MessageId, "", entry.Body, entry.ReceiveCount, entry.SentAt, entry.FirstReceivedAt));
                    _deadLettered++;
                    continue;
                }

                entry.ReceiveCount++;
                if (entry.ReceiveCount == 1) entry.FirstReceivedAt = now;
                else _redelivered++;
                entry.State = QueueEntryState.InFlight;
                entry.ReceiptHandle = Guid.NewGuid().ToString("N");
                _byReceiptHandle[entry.ReceiptHandle] = entry;
                _inFlight.Enqueue(entry, (now + VisibilityTimeout).UtcTicks);
                _inFlightCount++;
                received.Add(new QueuedMessage(entry.MessageId, entry.ReceiptHandle, entry.Body, entry.ReceiveCount, entry.SentAt, entry.FirstReceivedAt));
            }
            _received += received.Count;
        }
        return received;
    }

    /// <summary>Deletes the message if <paramref name="receiptHandle"/> is its latest; a stale handle is ignored (false).</summary>
    public bool Delete(string receiptHandle)
    {
        ArgumentNullException.ThrowIfNull(receiptHandle);
        lock (_gate)
        {
            if (!_byReceiptHandle.Remove(receiptHandle, out var entry))
            {
                _staleDeletes++;
                return false;
            }
            // Still the latest handle, even if the visibility timeout has passed and nobody received it again.
            if (entry.State == QueueEntryState.InFlight) _inFlightCount--;
            else if (entry.State == QueueEntryState.Visible) _visibleCount--;
            entry.State = QueueEntryState.Deleted;
            entry.ReceiptHandle = null;
            _deleted++;
            return true;
        }
    }

    /// <summary>
    /// Completes when a message is visible (sent, or back after its visibility timeout), so consumers need not poll.
    /// Another consumer may take it first: receive and wait again when the receive comes back empty.
    /// </summary>
    public async Task WaitForMessageAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Task arrived;
            TimeSpan? untilVisible = null;
            lock (_gate)
            {
                var now = _timeProvider.GetUtcNow();
                Promote(now);
                if (_visibleCount > 0) return;
                arrived = _arrived.Task;
                if (_inFlight.TryPeek(out _, out var due)) untilVisible = TimeSpan.FromTicks(Math.Max(0, due - now.UtcTicks));
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var timer = untilVisible is { } wait
                ? Task.Delay(wait + TimeSpan.FromMilliseconds(1), _timeProvider, stop.Token)
                : Task.Delay(Timeout.InfiniteTimeSpan, stop.Token);
            await Task.WhenAny(arrived, timer).ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
        }
    }

    private void Promote() => Promote(_timeProvider.GetUtcNow());

    // Returns messages whose visibility timeout has passed to the visible queue (called under the lock).
    private void Promote(DateTimeOffset now)
    {
        var promoted = false;
        while (_inFlight.TryPeek(out var entry, out var due) && due <= now.UtcTicks)
        {
            _inFlight.Dequeue();
            // Deleted (or otherwise gone) since it was received: its place in the heap is all that was left of it.
            if (entry.State != QueueEntryState.InFlight) continue;
            entry.State = QueueEntryState.Visible;
            _inFlightCount--;
            _visible.Enqueue(entry);
            _visibleCount++;
            promoted = true;
        }
        if (promoted) Signal().TrySetResult();
    }

    // Swaps in a fresh signal and returns the one to complete (called under the lock; completed outside it when possible).
    private TaskCompletionSource Signal()
    {
        var current = _arrived;
        _arrived = NewSignal();
        return current;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
