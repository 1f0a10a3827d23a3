using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using Realtime.Connect.Hosting.Metrics;

namespace Realtime.Connect.Management.Internal;

/// <summary>
/// The Polly pipeline around every @connections attempt: retry (outer) over a per-attempt timeout (inner).
/// Retries only 429, 5xx, attempt timeouts and transport errors, with exponential backoff and jitter; the backoff is
/// chosen while deciding, so a retry that could not start before the call's deadline is not made at all, and each
/// attempt's timeout is cut to what is left of the deadline.
/// </summary>
internal static class ConnectionsPipeline
{
    public static readonly ResiliencePropertyKey<ConnectionsCall> CallKey = new("Realtime.Connections.Call");

    public static ResiliencePipeline<AttemptResult> Create(ConnectionsClientOptions options, TimeProvider timeProvider, ILogger logger)
    {
        var builder = new ResiliencePipelineBuilder<AttemptResult> { Name = "Realtime.Connections", TimeProvider = timeProvider };

        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<AttemptResult>
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.AttemptNumber, Call(args.Context), options, timeProvider)),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(Call(args.Context).NextDelay),
                OnRetry = args =>
                {
                    var call = Call(args.Context);
                    if (args.Outcome.Exception is TimeoutRejectedException) call.Timeouts++;
                    InvocationMetrics.Current?.Count(Metric.ConnectionsRetries);
                    ConnectionsClientLog.Retrying(logger, call.Method.Method, call.ConnectionId, Describe(args.Outcome), args.AttemptNumber + 2, args.RetryDelay.TotalMilliseconds);
                    return ValueTask.CompletedTask;
                },
            });
        }

        builder.AddTimeout(new TimeoutStrategyOptions
        {
            TimeoutGenerator = args => ValueTask.FromResult(AttemptTimeout(Call(args.Context), options, timeProvider)),
        });

        return builder.Build();
    }

    /// <summary>Exponential backoff with equal jitter: half of each delay is fixed, half random, capped at MaxDelay.</summary>
    public static TimeSpan Backoff(int retryIndex, ConnectionsClientOptions options)
    {
        var exponential = options.BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(retryIndex, 30));
        var capped = Math.Min(exponential, options.MaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds((capped / 2) + (capped / 2 * options.Randomizer()));
    }

    internal static bool IsRetryable(Outcome<AttemptResult> outcome) => outcome.Exception switch
    {
        null => ConnectionsResponse.IsRetryable(outcome.Result.Status),
        TimeoutRejectedException => true,
        _ => false,
    };

    private static bool ShouldRetry(Outcome<AttemptResult> outcome, int attemptNumber, ConnectionsCall call, ConnectionsClientOptions options, TimeProvider timeProvider)
    {
        if (!IsRetryable(outcome)) return false;
        var delay = Backoff(attemptNumber, options);
        if (timeProvider.GetUtcNow() + delay >= call.Deadline) return false;
        call.NextDelay = delay;
        return true;
    }

    private static TimeSpan AttemptTimeout(ConnectionsCall call, ConnectionsClientOptions options, TimeProvider timeProvider)
    {
        var left = call.Deadline - timeProvider.GetUtcNow();
        var timeout = left < options.AttemptTimeout ? left : options.AttemptTimeout;
        // Polly treats a zero or negative timeout as "none"; an exhausted deadline must still time out.
        return timeout > TimeSpan.Zero ? timeout : TimeSpan.FromMilliseconds(1);
    }

    private static ConnectionsCall Call(ResilienceContext context) =>
        context.Properties.TryGetValue(CallKey, out var call) ? call : throw new InvalidOperationException("The @connections call is missing from the resilience context.");

    private static string Describe(Outcome<AttemptResult> outcome) =>
        outcome.Exception is null ? outcome.Result.Status.ToString() : nameof(ConnectionsStatus.TimedOut);
}
