using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Realtime.Connect.Hosting.Metrics;

namespace Realtime.Local.Metrics;

/// <summary>
/// The local host's metrics sink: instead of writing the embedded metric format lines the functions write on AWS,
/// adds them up since start, by function and metric (and by route for <c>Messages</c>), for <c>GET /metrics</c>.
/// </summary>
public sealed class MetricsSummary(TimeProvider timeProvider) : IMetricsSink
{
    private readonly DateTimeOffset _since = timeProvider.GetUtcNow();
    private readonly ConcurrentDictionary<(string Function, string Metric), Total> _totals = new();

    public void Write(MetricsRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        foreach (var (metric, values) in record.Values)
        {
            Add(record.Function, metric.Name, metric.Unit, values);
            if (metric == Metric.Messages && record.Route is { } route) Add(record.Function, $"{metric.Name} Route={route}", metric.Unit, values);
        }
    }

    /// <summary>One line per function and metric: counts as their sum, durations as samples, average and maximum.</summary>
    public string Render()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Realtime metrics since {_since:yyyy-MM-ddTHH:mm:ssZ}, as the functions report them to CloudWatch (namespace Realtime)\n");
        if (_totals.IsEmpty) text.Append("(nothing counted yet)\n");
        foreach (var ((function, metric), total) in _totals.OrderBy(entry => entry.Key.Function, StringComparer.Ordinal).ThenBy(entry => entry.Key.Metric, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"{function,-12}{metric,-28}{total.Describe()}\n");
        }
        return text.ToString();
    }

    private void Add(string function, string metric, string unit, IReadOnlyList<double> values) =>
        _totals.GetOrAdd((function, metric), _ => new Total(unit)).Add(values);

    private sealed class Total(string unit)
    {
        private readonly Lock _lock = new();
        private double _sum;
        private double _max;
        private long _samples;

        public void Add(IReadOnlyList<double> values)
        {
            lock (_lock)
            {
                foreach (var value in values)
                {
                    _sum += value;
                    _max = _samples == 0 ? value : Math.Max(_max, value);
                    _samples++;
                }
            }
        }

        public string Describe()
        {
            lock (_lock)
            {
                return unit == Metric.CountUnit
                    ? _sum.ToString("0", CultureInfo.InvariantCulture)
                    : string.Create(CultureInfo.InvariantCulture, $"{_samples} samples, average {_sum / Math.Max(_samples, 1):0.0}, max {_max:0.0} ({unit})");
            }
        }
    }
}
