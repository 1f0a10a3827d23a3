namespace Realtime.Connect.Hosting.Metrics;

/// <summary>
/// What one invocation counted, gathered wherever it happens (a route, a fan-out, the @connections client's retries)
/// and reported once when the invocation ends. Ambient, like <see cref="InvocationContext"/>, so the parts deep inside
/// a call need no metrics parameter; safe to update from a fan-out's parallel posts.
/// </summary>
public sealed class InvocationMetrics
{
    private static readonly AsyncLocal<InvocationMetrics?> CurrentValue = new();

    private const int MaxSamples = 100;

    private readonly Lock _lock = new();
    private readonly Dictionary<Metric, List<double>> _values = [];

    /// <summary>The invocation this code runs for, or null outside one: recording is then skipped.</summary>
    public static InvocationMetrics? Current
    {
        get => CurrentValue.Value;
        internal set => CurrentValue.Value = value;
    }

    /// <summary>The route of a message invocation, the second dimension of <see cref="Metric.Messages"/>.</summary>
    public string? Route { get; set; }

    /// <summary>Adds <paramref name="count"/> to a counter: one value per invocation, the sum.</summary>
    public void Count(Metric metric, long count = 1)
    {
        lock (_lock)
        {
            if (_values.TryGetValue(metric, out var values)) values[0] += count;
            else _values[metric] = [count];
        }
    }

    /// <summary>Records one sample (a latency): every sample of the invocation is reported.</summary>
    public void Observe(Metric metric, double value)
    {
        lock (_lock)
        {
            // EMF takes at most 100 values per metric and line; a batch that large is reported by its first 100.
            if (!_values.TryGetValue(metric, out var values)) _values[metric] = [value];
            else if (values.Count < MaxSamples) values.Add(value);
        }
    }

    /// <summary>Every metric recorded, in the order first recorded, with its value(s).</summary>
    public IReadOnlyList<KeyValuePair<Metric, IReadOnlyList<double>>> Snapshot()
    {
        lock (_lock) return [.. _values.Select(entry => KeyValuePair.Create(entry.Key, (IReadOnlyList<double>)[.. entry.Value]))];
    }
}
