namespace Realtime.Router.FanOut;

/// <summary>
/// How far a range's posts have got while they run concurrently and finish out of order: what a checkpoint records.
/// Posts start in connection id order; each start holds a place in line. <see cref="Snapshot"/> is the last post
/// begun with the posts begun but unfinished before it, so one slow post does not hold back everything after it.
/// The line lets go of its front as it finishes, so it holds at most the posts in flight.
/// </summary>
internal sealed class Watermark(string? start)
{
    private readonly Lock _lock = new();
    private readonly Queue<Place> _line = new();
    private string? _lastStarted;
    private readonly List<Place> _aside = [];

    public object Start(string connectionId)
    {
        var place = new Place(connectionId);
        lock (_lock)
        {
            _line.Enqueue(place);
            _lastStarted = connectionId;
        }
        return place;
    }

    /// <summary>A post before the start (one an earlier run left pending): reported pending until it finishes.</summary>
    public object Aside(string connectionId)
    {
        var place = new Place(connectionId) { IsAside = true };
        lock (_lock) _aside.Add(place);
        return place;
    }

    /// <summary>The last post begun (the start when none has), and the posts begun but unfinished, in order.</summary>
    public (string? Cursor, IReadOnlyList<string> Pending) Snapshot()
    {
        lock (_lock)
        {
            var pending = _aside.Select(p => p.ConnectionId).Concat(_line.Where(p => !p.Finished).Select(p => p.ConnectionId)).ToList();
            return (_lastStarted ?? start, pending);
        }
    }

    public void Finish(object started)
    {
        lock (_lock)
        {
            var place = (Place)started;
            place.Finished = true;
            if (place.IsAside)
            {
                _aside.Remove(place);
                return;
            }
            while (_line.TryPeek(out var first) && first.Finished) _line.Dequeue();
        }
    }

    private sealed class Place(string connectionId)
    {
        public string ConnectionId { get; } = connectionId;
        public bool Finished { get; set; }
        public bool IsAside { get; init; }
    }
}
