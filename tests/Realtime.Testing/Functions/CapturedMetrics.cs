using System.Text;
using System.Text.Json;
using Realtime.Connect.Hosting.Metrics;
using Xunit;

namespace Realtime.Testing.Functions;

/// <summary>The embedded metric format lines functions write, kept in memory and checked against the specification.</summary>
public sealed class CapturedMetrics : IMetricsSink
{
    private static readonly HashSet<string> Units = new(StringComparer.Ordinal)
    {
        "Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits",
        "Megabits", "Gigabits", "Terabits", "Percent", "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second",
        "Gigabytes/Second", "Terabytes/Second", "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second",
        "Terabits/Second", "Count/Second", "None",
    };

    private readonly MemoryStream _output = new();
    private readonly EmbeddedMetricsSink _sink;

    public CapturedMetrics() => _sink = new EmbeddedMetricsSink(_output);

    public void Write(MetricsRecord record)
    {
        lock (_output) _sink.Write(record);
    }

    /// <summary>Every line written so far, each checked to be a valid EMF document.</summary>
    public IReadOnlyList<JsonElement> Lines
    {
        get
        {
            string text;
            lock (_output) text = Encoding.UTF8.GetString(_output.ToArray());
            var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();
            lines.ForEach(AssertValid);
            return lines;
        }
    }

    /// <summary>
    /// The rules of the CloudWatch embedded metric format specification: an <c>_aws</c> object with a millisecond
    /// <c>Timestamp</c> and <c>CloudWatchMetrics</c> directives (Namespace, Dimensions as arrays of at most 30 names,
    /// Metrics of Name and a known Unit); every dimension a top-level string, every metric a top-level number or array
    /// of at most 100 numbers.
    /// </summary>
    public static void AssertValid(JsonElement line)
    {
        var aws = line.GetProperty("_aws");
        var timestamp = aws.GetProperty("Timestamp");
        Assert.Equal(JsonValueKind.Number, timestamp.ValueKind);
        Assert.True(timestamp.TryGetInt64(out var milliseconds) && milliseconds > 0);
        var directives = aws.GetProperty("CloudWatchMetrics");
        Assert.NotEqual(0, directives.GetArrayLength());
        foreach (var directive in directives.EnumerateArray())
        {
            Assert.False(string.IsNullOrEmpty(directive.GetProperty("Namespace").GetString()));
            foreach (var set in directive.GetProperty("Dimensions").EnumerateArray())
            {
                Assert.InRange(set.GetArrayLength(), 1, 30);
                foreach (var dimension in set.EnumerateArray())
                {
                    Assert.Equal(JsonValueKind.String, line.GetProperty(dimension.GetString()!).ValueKind);
                }
            }
            var metrics = directive.GetProperty("Metrics");
            Assert.InRange(metrics.GetArrayLength(), 1, 100);
            foreach (var metric in metrics.EnumerateArray())
            {
                Assert.Contains(metric.GetProperty("Unit").GetString()!, Units);
                var value = line.GetProperty(metric.GetProperty("Name").GetString()!);
                if (value.ValueKind == JsonValueKind.Array)
                {
                    Assert.InRange(value.GetArrayLength(), 1, 100);
                    Assert.All(value.EnumerateArray(), v => Assert.Equal(JsonValueKind.Number, v.ValueKind));
                }
                else
                {
                    Assert.Equal(JsonValueKind.Number, value.ValueKind);
                }
            }
        }
    }
}
