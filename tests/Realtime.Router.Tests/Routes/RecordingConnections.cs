using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Realtime.Connect.Management;

namespace Realtime.Router.Tests.Routes;

/// <summary>
/// An in-process @connections that keeps what was posted to each connection, as the local host's in-process client
/// does; connections listed in <see cref="Gone"/> answer 410.
/// </summary>
internal sealed class RecordingConnections : IConnectionsClient
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _received = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, bool> Gone { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<Uri> Endpoints { get; } = new();

    public IReadOnlyList<string> ReceivedBy(string connectionId) =>
        _received.TryGetValue(connectionId, out var messages) ? messages.ToArray() : [];

    public JsonElement Single(string connectionId) => JsonDocument.Parse(Assert.Single(ReceivedBy(connectionId))).RootElement;

    public ValueTask<ConnectionsResult> PostAsync(ConnectionTarget target, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        Endpoints.Enqueue(target.Endpoint);
        if (Gone.ContainsKey(target.ConnectionId)) return ValueTask.FromResult(new ConnectionsResult(ConnectionsStatus.Gone, 410, 1, "GoneException"));
        _received.GetOrAdd(target.ConnectionId, _ => new()).Enqueue(Encoding.UTF8.GetString(data.Span));
        return ValueTask.FromResult(new ConnectionsResult(ConnectionsStatus.Ok, 200, 1));
    }

    public ValueTask<ConnectionsResult<ConnectionInfo>> GetAsync(ConnectionTarget target, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new ConnectionsResult<ConnectionInfo>(new ConnectionsResult(ConnectionsStatus.Gone, 410, 1), null));

    public ValueTask<ConnectionsResult> DeleteAsync(ConnectionTarget target, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new ConnectionsResult(ConnectionsStatus.Ok, 204, 1));
}
