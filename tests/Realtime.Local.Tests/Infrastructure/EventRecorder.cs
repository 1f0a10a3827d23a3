using System.Text.Json;

namespace Realtime.Local.Tests.Infrastructure;

/// <summary>An event a test function received: which function, the exact JSON, and the parsed document.</summary>
public sealed record RecordedEvent(string Function, string Json, JsonElement Root)
{
    public JsonElement Context => Root.GetProperty("requestContext");
    public string? ConnectionId => Context.TryGetProperty("connectionId", out var id) ? id.GetString() : null;
    public string? RouteKey => Context.TryGetProperty("routeKey", out var key) ? key.GetString() : null;
    public string? EventType => Context.TryGetProperty("eventType", out var type) ? type.GetString() : null;
    public string? Body => Root.TryGetProperty("body", out var body) ? body.GetString() : null;
}

/// <summary>
/// Collects the events the test functions receive (they get it from the host's services), so a test can wait for
/// the event it expects and assert its exact JSON.
/// </summary>
public sealed class EventRecorder
{
    private readonly List<RecordedEvent> _events = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public RecordedEvent Record(string function, string json)
    {
        using var document = JsonDocument.Parse(json);
        var recorded = new RecordedEvent(function, json, document.RootElement.Clone());
        TaskCompletionSource changed;
        lock (_events)
        {
            _events.Add(recorded);
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.SetResult();
        return recorded;
    }

    public IReadOnlyList<RecordedEvent> All(Func<RecordedEvent, bool> predicate)
    {
        lock (_events) return _events.Where(predicate).ToList();
    }

    public async Task<RecordedEvent> WaitAsync(Func<RecordedEvent, bool> predicate)
    {
        while (true)
        {
            Task changed;
            lock (_events)
            {
                var found = _events.FirstOrDefault(predicate);
                if (found is not null) return found;
                changed = _changed.Task;
            }
            await changed.ConfigureAwait(false);
        }
    }

    public Task<RecordedEvent> WaitAsync(string connectionId, string eventType) =>
        WaitAsync(e => e.ConnectionId == connectionId && e.EventType == eventType);
}
