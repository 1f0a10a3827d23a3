namespace Realtime.Local.Functions;

/// <summary>
/// Calls a bound function with an event and applies the deadlines: the function's own Lambda timeout (a function
/// error) and the route's integration timeout ("Endpoint request timed out"), whichever comes first. A function that
/// outlives its deadline keeps running unobserved, as a Lambda would, and its result is dropped.
/// The function runs on the thread pool, as a Lambda runs in its own process: one that blocks before its first await
/// holds neither the caller (a socket's receive loop) nor its deadline.
/// </summary>
public sealed class FunctionInvoker(TimeProvider time)
{
    public async Task<Invocation> InvokeAsync(GatewayFunction function, ArraySegment<byte> input, TimeSpan integrationTimeout, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var stream = new MemoryStream(input.Array!, input.Offset, input.Count, writable: false, publiclyVisible: true);
        var task = Task.Run(() => function.Invoke(stream, cancellationToken), CancellationToken.None);

        if (!task.IsCompleted)
        {
            var functionTimeout = function.Timeout ?? Timeout.InfiniteTimeSpan;
            var functionFirst = functionTimeout != Timeout.InfiniteTimeSpan && functionTimeout < integrationTimeout;
            var limit = functionFirst ? functionTimeout : integrationTimeout;
            try
            {
                await task.WaitAsync(limit, time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException) when (!task.IsCompleted)
            {
                Abandon(task);
                var outcome = functionFirst ? InvocationOutcome.FunctionTimedOut : InvocationOutcome.IntegrationTimedOut;
                return new Invocation(outcome, null, null, time.GetElapsedTime(started));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && !task.IsCompleted)
            {
                Abandon(task);
                return new Invocation(InvocationOutcome.Failed, null, new OperationCanceledException(cancellationToken), time.GetElapsedTime(started));
            }
            catch
            {
                // The function's own exception: read below from the completed task.
            }
        }

        var latency = time.GetElapsedTime(started);
        if (task.IsCompletedSuccessfully) return new Invocation(InvocationOutcome.Succeeded, task.Result, null, latency);
        var error = task.Exception?.InnerException ?? (Exception)new OperationCanceledException();
        return new Invocation(InvocationOutcome.Failed, null, error, latency);
    }

    private static void Abandon(Task<Stream> task) =>
        _ = task.ContinueWith(
            static t =>
            {
                if (t.IsCompletedSuccessfully) t.Result?.Dispose();
                else _ = t.Exception;
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
}
