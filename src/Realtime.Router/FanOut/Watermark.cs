namespace Realtime.Router.FanOut;

/// <summary>
/// The connection up to which every post of a range has finished, while posts run concurrently and finish out of
/// order: what a checkpoint may record. Posts start in connection id order; each start holds a place in line, and the
/// mark moves past the front of the line as it finishes. Holds at most the posts in flight.
/// </summary>
internal sealed class Watermark(string? start)
{
    private readonly Lock _lock = new();
    private readonly Queue<Place> _line = new();
    private string? _current = start;

    /// <summary>The last connection id up to which nothing is unfinished; the start until something finishes.</summary>
    public string? Current
    {
        get
        {
            lock (_lock) return _current;
        }
    }

    public object Start(string connectionId)
    {
        var place = new Place(connectionId);
        lock (_lock) _line.Enqueue(place);
        return place;
    }

    public void Finish(object started)
    {
        lock (_lock)
        {
            ((Place)started).Finished = true;
            while (_line.TryPeek(out var first) && first.Finished)
            {
                _current = _line.Dequeue().ConnectionId;
            }
        }
    }

    private sealed class Place(string connectionId)
    {
        public string ConnectionId { get; } = connectionId;
        public bool Finished { get; set; }
    }
}
