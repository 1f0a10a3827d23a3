using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Realtime.Connect.Hosting.Metrics;
using Realtime.Connect.Management;
using Realtime.Connect.Registry;

namespace Realtime.Router.FanOut;

/// <summary>
/// Delivers one payload to every connection of a topic or of a user. Reads the registry page by page (the next page
/// loads while the current one is posted, so at most two pages are held whatever the audience), posts with bounded
/// concurrency through <see cref="IConnectionsClient"/> (which retries what can be retried), removes gone
/// connections from the registry in the background, and reports what happened. Each connection gets at most one
/// post per fan-out.
/// </summary>
public sealed class Broadcaster
{
    private readonly IConnectionRegistry _registry;
    private readonly IConnectionsClient _connections;
    private readonly FanOutOptions _options;
    private readonly ILogger _logger;
    private readonly ConnectionsEndpoints _endpoints;

    public Broadcaster(IConnectionRegistry registry, IConnectionsClient connections, ConnectionsEndpoints endpoints, FanOutOptions options, ILogger<Broadcaster> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(endpoints);
        _registry = registry;
        _connections = connections;
        _endpoints = endpoints;
        _options = options.Validated();
        _logger = logger;
    }

    /// <summary>Delivers <paramref name="payload"/> to every connection subscribed to <paramref name="topic"/>.</summary>
    public Task<FanOutReport> ToTopicAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        return DeliverAsync("topic", topic, payload, static (registry, key, page, token) => registry.ListTopicAsync(key, page, token), cancellationToken);
    }

    /// <summary>Delivers <paramref name="payload"/> to every connection of <paramref name="userId"/>.</summary>
    public Task<FanOutReport> ToUserAsync(string userId, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return DeliverAsync("user", userId, payload, static (registry, key, page, token) => registry.ListUserAsync(key, page, token), cancellationToken);
    }

    private async Task<FanOutReport> DeliverAsync(
        string kind,
        string key,
        ReadOnlyMemory<byte> payload,
        Func<IConnectionRegistry, string, PageRequest, CancellationToken, Task<ConnectionPage>> list,
        CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var tally = new FanOutTally();
        var gone = new GoneConnections(_registry, _options.RemoveConcurrency, _options.PageSize, _logger, cancellationToken);
        try
        {
            await Parallel.ForEachAsync(
                Audience(list, key, cancellationToken),
                new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrency, CancellationToken = cancellationToken },
                async (connection, token) =>
                {
                    var result = await _connections.PostAsync(new ConnectionTarget(_endpoints.For(connection), connection.ConnectionId), payload, token).ConfigureAwait(false);
                    tally.Count(result);
                    if (result.Status == ConnectionsStatus.Gone) await gone.AddAsync(connection.ConnectionId, token).ConfigureAwait(false);
                }).ConfigureAwait(false);
        }
        finally
        {
            // Also on failure: what was found gone is still gone.
            await gone.CompleteAsync().ConfigureAwait(false);
        }

        var report = tally.ToReport();
        if (InvocationMetrics.Current is { } metrics)
        {
            metrics.Count(Metric.Deliveries, report.Delivered);
            metrics.Count(Metric.GoneConnections, report.Gone);
        }
        FanOutLog.Delivered(_logger, kind, key, report.Audience, report.Delivered, report.Gone, report.Failed, report.Retried,
            (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return report;
    }

    /// <summary>The audience, one page at a time, with the next page already loading while this one is handed out.</summary>
    private async IAsyncEnumerable<Connection> Audience(
        Func<IConnectionRegistry, string, PageRequest, CancellationToken, Task<ConnectionPage>> list,
        string key,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var page = await list(_registry, key, PageRequest.First(_options.PageSize), cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var next = page.NextCursor is { } cursor ? list(_registry, key, new PageRequest(_options.PageSize, cursor), cancellationToken) : null;
            var handedOut = false;
            try
            {
                foreach (var connection in page.Items) yield return connection;
                handedOut = true;
            }
            finally
            {
                // Abandoned early (cancellation, a failure): the read-ahead must not fault unobserved.
                if (!handedOut) next?.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
            if (next is null) yield break;
            page = await next.ConfigureAwait(false);
        }
    }
}
