using Microsoft.Extensions.Logging;
using Realtime.Connect.Management;
using Realtime.Connect.Registry;

namespace Realtime.Router.FanOut;

/// <summary>
/// Delivers one payload to every connection of a topic or of a user: reads the registry a page at a time (the next
/// page is read while the current one is posted), posts with bounded concurrency, removes the connections that
/// answer 410 and counts what happened. The client's pipeline retries what can succeed on retry; a 410 never is.
/// </summary>
public sealed class Broadcaster(IConnectionRegistry registry, IConnectionsClient connections, FanOutOptions options, ILogger<Broadcaster> logger)
{
    public Task<FanOutReport> ToTopicAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
        DeliverAsync((page, ct) => registry.ListTopicAsync(topic, page, ct), payload, cancellationToken);

    public Task<FanOutReport> ToUserAsync(string userId, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
        DeliverAsync((page, ct) => registry.ListUserAsync(userId, page, ct), payload, cancellationToken);

    private async Task<FanOutReport> DeliverAsync(
        Func<PageRequest, CancellationToken, Task<ConnectionPage>> list, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var tally = new Tally();
        var endpoints = new EndpointCache(options.ConnectionsEndpoint);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxConcurrency, CancellationToken = cancellationToken };

        var page = await list(new PageRequest(options.PageSize), cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var next = page.NextCursor is { } cursor ? list(new PageRequest(options.PageSize, cursor), cancellationToken) : null;

            await Parallel.ForEachAsync(page.Items, parallel, async (connection, ct) =>
            {
                var result = await connections.PostAsync(new ConnectionTarget(endpoints.For(connection), connection.ConnectionId), payload, ct).ConfigureAwait(false);
                tally.Count(connection.ConnectionId, result);
            }).ConfigureAwait(false);

            await RemoveGoneAsync(tally.TakeGone(), parallel).ConfigureAwait(false);
            if (next is null) break;
            page = await next.ConfigureAwait(false);
        }

        var report = tally.ToReport();
        FanOutLog.Delivered(logger, report.Audience, report.Delivered, report.Gone, report.Failed, report.Retried);
        return report;
    }

    private async Task RemoveGoneAsync(List<string> gone, ParallelOptions parallel)
    {
        if (gone.Count == 0) return;
        await Parallel.ForEachAsync(gone, parallel, async (connectionId, ct) =>
        {
            try
            {
                await registry.RemoveAsync(connectionId, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The connection stays recorded until its TTL or the next fan-out; the delivery itself is done.
                FanOutLog.RemoveFailed(logger, connectionId, e);
            }
        }).ConfigureAwait(false);
    }

    private sealed class Tally
    {
        private readonly Lock _lock = new();
        private List<string> _gone = [];
        private int _delivered, _goneCount, _failed, _retried;

        public void Count(string connectionId, ConnectionsResult result)
        {
            Interlocked.Add(ref _retried, Math.Max(0, result.Attempts - 1));
            switch (result.Status)
            {
                case ConnectionsStatus.Ok:
                    Interlocked.Increment(ref _delivered);
                    break;
                case ConnectionsStatus.Gone:
                    Interlocked.Increment(ref _goneCount);
                    lock (_lock) _gone.Add(connectionId);
                    break;
                default:
                    Interlocked.Increment(ref _failed);
                    break;
            }
        }

        public List<string> TakeGone()
        {
            lock (_lock)
            {
                var gone = _gone;
                _gone = [];
                return gone;
            }
        }

        public FanOutReport ToReport() => new(_delivered, _goneCount, _failed, _retried);
    }

    /// <summary>Connections of one API share an endpoint; build its Uri once, not once per delivery.</summary>
    private sealed class EndpointCache(Uri? configured)
    {
        private Cached? _last; // a reference, so concurrent posts never read half of it

        public Uri For(Connection connection)
        {
            if (configured is not null) return configured;
            if (_last is { } hit && hit.Domain == connection.DomainName && hit.Stage == connection.Stage) return hit.Endpoint;
            var endpoint = ConnectionsEndpoint.For(connection);
            _last = new Cached(connection.DomainName, connection.Stage, endpoint);
            return endpoint;
        }

        private sealed record Cached(string Domain, string Stage, Uri Endpoint);
    }
}
