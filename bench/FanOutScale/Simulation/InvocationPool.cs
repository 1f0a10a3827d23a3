using Realtime.Connect.Hosting;

namespace Realtime.Bench.FanOutScale.Simulation;

/// <summary>
/// Lambda's SQS event source mapping in one process: up to <see cref="InvocationPoolOptions.MaxConcurrency"/>
/// invocations at once, each given a batch from the queue as Lambda's SQS event and its deadline through
/// <see cref="InvocationContext"/>. The outcome is Lambda's: the records not listed in <c>batchItemFailures</c> are
/// deleted; a throw, an invalid answer, a timeout or a kill deletes nothing, and the batch comes back after the
/// visibility timeout. A killed or timed-out invocation frees its slot at once and what it returns later is ignored;
/// its code halts at its next <see cref="SimulatedInvocation.HaltIfKilled"/>.
/// </summary>
public sealed class InvocationPool
{
    private readonly SimulatedQueue _queue;
    private readonly Func<Stream, Task<Stream>> _handler;
    private readonly TimeProvider _timeProvider;
    private long _sequence;
    private long _invocations;
    private long _completed;
    private long _kills;
    private long _timeouts;
    private long _failures;
    private long _invalidAnswers;
    private long _reportedFailures;
    private int _running;

    /// <param name="handler">The function's <c>FunctionHandler</c>: Lambda's event in, the function's answer out.</param>
    public InvocationPool(SimulatedQueue queue, Func<Stream, Task<Stream>> handler, InvocationPoolOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(handler);
        Options = options ?? new InvocationPoolOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(Options.MaxConcurrency, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(Options.BatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Options.Timeout, TimeSpan.Zero);
        _queue = queue;
        _handler = handler;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    public InvocationPoolOptions Options { get; }

    /// <summary>Invocations started.</summary>
    public long Invocations => Interlocked.Read(ref _invocations);

    /// <summary>Invocations whose answer was acted on (records deleted or left for redelivery as listed).</summary>
    public long Completed => Interlocked.Read(ref _completed);

    /// <summary>Invocations killed before they answered.</summary>
    public long Kills => Interlocked.Read(ref _kills);

    /// <summary>Invocations that had not answered by the function's timeout.</summary>
    public long Timeouts => Interlocked.Read(ref _timeouts);

    /// <summary>Invocations whose handler threw.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Answers Lambda would not accept as a partial-batch response, which fail the whole batch.</summary>
    public long InvalidAnswers => Interlocked.Read(ref _invalidAnswers);

    /// <summary>Records listed in <c>batchItemFailures</c>, summed over all answers.</summary>
    public long ReportedFailures => Interlocked.Read(ref _reportedFailures);

    /// <summary>Invocations holding a slot now.</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>
    /// Receives and invokes until <paramref name="cancellationToken"/> is cancelled, then returns; invocations still
    /// running carry on to their own end.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // Not disposed: invocations still running when this returns release their slots into it.
        var slots = new SemaphoreSlim(Options.MaxConcurrency, Options.MaxConcurrency);
        try
        {
            while (true)
            {
                await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
                IReadOnlyList<QueuedMessage> batch;
                try
                {
                    while ((batch = _queue.Receive(Options.BatchSize)).Count == 0)
                    {
                        await _queue.WaitForMessageAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
                catch
                {
                    slots.Release();
                    throw;
                }
                Interlocked.Increment(ref _running);
                _ = InvokeAsync(batch, slots);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Completes once the queue is drained and no invocation runs, and both have held for <paramref name="quietFor"/>
    /// (a message on its way back from a visibility timeout counts as not drained).
    /// </summary>
    public async Task WaitUntilDrainedAsync(TimeSpan quietFor, CancellationToken cancellationToken)
    {
        long? quietSince = null;
        while (true)
        {
            if (_queue.IsDrained && Running == 0)
            {
                quietSince ??= _timeProvider.GetTimestamp();
                if (_timeProvider.GetElapsedTime(quietSince.Value) >= quietFor) return;
            }
            else
            {
                quietSince = null;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(10), _timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task InvokeAsync(IReadOnlyList<QueuedMessage> batch, SemaphoreSlim slots)
    {
        try
        {
            Interlocked.Increment(ref _invocations);
            var sequence = (ulong)Interlocked.Increment(ref _sequence);
            var timeout = Options.Timeout;
            var requestId = Guid.NewGuid().ToString("D");
            var invocation = new SimulatedInvocation(requestId, _timeProvider.GetUtcNow() + timeout);
            var context = new InvocationContext(requestId, invocation.Deadline, null);
            var input = SqsEventWriter.Write(batch);

            // Set inside the delegate: the values flow into the handler's awaits and go no further.
            var handling = Task.Run(() =>
            {
                InvocationContext.Current = context;
                SimulatedInvocation.Current = invocation;
                return _handler(input);
            });

            using var stop = new CancellationTokenSource();
            var deadline = Task.Delay(timeout, _timeProvider, stop.Token);
            var seed = (ulong)Options.Seed;
            var kill = StableHash.Uniform(seed, sequence, 0) < Options.KillProbability
                ? Task.Delay(timeout / 2 * StableHash.Uniform(seed, sequence, 1), _timeProvider, stop.Token)
                : Task.Delay(Timeout.InfiniteTimeSpan, stop.Token);

            var first = await Task.WhenAny(handling, deadline, kill).ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
            if (first != handling)
            {
                invocation.Kill();
                if (first == kill) Interlocked.Increment(ref _kills);
                else Interlocked.Increment(ref _timeouts);
                // Whatever it does later is ignored, an exception included.
                _ = handling.ContinueWith(static task => _ = task.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                return;
            }
            if (!handling.IsCompletedSuccessfully)
            {
                Interlocked.Increment(ref _failures);
                _ = handling.Exception;
                return;
            }

            var failed = await BatchResponseReader.ReadAsync(handling.Result, batch).ConfigureAwait(false);
            if (failed is null)
            {
                Interlocked.Increment(ref _invalidAnswers);
                return;
            }
            Interlocked.Add(ref _reportedFailures, failed.Count);
            foreach (var message in batch)
            {
                if (!failed.Contains(message.MessageId)) _queue.Delete(message.ReceiptHandle);
            }
            Interlocked.Increment(ref _completed);
        }
        catch (Exception)
        {
            // A broken answer stream: a failed invocation, as Lambda would count it, and the slot is not lost.
            Interlocked.Increment(ref _failures);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
            slots.Release();
        }
    }
}
