using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Realtime.Connect.Hosting.Metrics;
using Realtime.Connect.Registry;

namespace Realtime.Router.FanOut;

/// <summary>
/// Delivers one payload to a whole audience from this process, with no hand-off: a topic's subscribers or a user's
/// connections. Each connection gets at most one post, besides repeats of posts whose outcome was unknown.
/// Audiences too large for one invocation go through <see cref="TopicFanOut"/> instead.
/// </summary>
public sealed class Broadcaster(IConnectionRegistry registry, RangeDelivery delivery, ILogger<Broadcaster> logger)
{
    /// <summary>Delivers <paramref name="payload"/> to every connection subscribed to <paramref name="topic"/>.</summary>
    public Task<FanOutReport> ToTopicAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        return DeliverAsync("topic", topic, payload, (page, token) => registry.ListTopicAsync(topic, page, token), cancellationToken);
    }

    /// <summary>Delivers <paramref name="payload"/> to every connection of <paramref name="userId"/>.</summary>
    public Task<FanOutReport> ToUserAsync(string userId, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return DeliverAsync("user", userId, payload, (page, token) => registry.ListUserAsync(userId, page, token), cancellationToken);
    }

    private async Task<FanOutReport> DeliverAsync(
        string kind, string key, ReadOnlyMemory<byte> payload, Func<PageRequest, CancellationToken, Task<ConnectionPage>> list, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var outcome = await delivery.PostAsync(list, payload, from: null, pending: [], until: null, checkpoint: null, cancellationToken, cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        var report = outcome.Report;
        Record(report);
        FanOutLog.Delivered(logger, kind, key, report.Audience, report.Delivered, report.Gone, report.Failed, report.Retried,
            (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return report;
    }

    internal static void Record(FanOutReport report)
    {
        if (InvocationMetrics.Current is not { } metrics) return;
        metrics.Count(Metric.Deliveries, report.Delivered);
        metrics.Count(Metric.GoneConnections, report.Gone);
    }
}
