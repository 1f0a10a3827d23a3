using System.Buffers;
using System.Text.Json;

namespace Realtime.Connect.Hosting.Metrics;

/// <summary>
/// Writes each record as one CloudWatch embedded metric format line: CloudWatch Logs extracts the metrics from the
/// function's log stream, so reporting costs no API call and no time in the invocation. Every metric is reported
/// under the <c>Function</c> dimension; <c>Messages</c> also under <c>Function</c> and <c>Route</c>.
/// </summary>
public sealed class EmbeddedMetricsSink(Stream output) : IMetricsSink
{
    public const string Namespace = "Realtime";
    public const string FunctionDimension = "Function";
    public const string RouteDimension = "Route";

    private readonly Lock _writeLock = new();

    public void Write(MetricsRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            Format(json, record);
        }
        buffer.Write("\n"u8);
        lock (_writeLock)
        {
            output.Write(buffer.WrittenSpan);
            output.Flush();
        }
    }

    private static void Format(Utf8JsonWriter json, MetricsRecord record)
    {
        json.WriteStartObject();
        json.WriteStartObject("_aws");
        json.WriteNumber("Timestamp", record.Timestamp.ToUnixTimeMilliseconds());
        json.WriteStartArray("CloudWatchMetrics");
        WriteDirective(json, [FunctionDimension], record.Values.Select(value => value.Key));
        var byRoute = record.Route is null ? [] : record.Values.Where(value => value.Key == Metric.Messages).Select(value => value.Key).ToList();
        if (byRoute.Count > 0) WriteDirective(json, [FunctionDimension, RouteDimension], byRoute);
        json.WriteEndArray();
        json.WriteEndObject();

        json.WriteString(FunctionDimension, record.Function);
        if (record.Route is not null) json.WriteString(RouteDimension, record.Route);
        foreach (var (metric, values) in record.Values)
        {
            if (values.Count == 1)
            {
                json.WriteNumber(metric.Name, values[0]);
                continue;
            }
            json.WriteStartArray(metric.Name);
            foreach (var value in values) json.WriteNumberValue(value);
            json.WriteEndArray();
        }
        // Not metrics: they let Logs Insights join the line to the invocation's other lines and its trace.
        if (record.RequestId is not null) json.WriteString("requestId", record.RequestId);
        if (record.TraceId is not null) json.WriteString("traceId", record.TraceId);
        json.WriteEndObject();
    }

    private static void WriteDirective(Utf8JsonWriter json, string[] dimensions, IEnumerable<Metric> metrics)
    {
        json.WriteStartObject();
        json.WriteString("Namespace", Namespace);
        json.WriteStartArray("Dimensions");
        json.WriteStartArray();
        foreach (var dimension in dimensions) json.WriteStringValue(dimension);
        json.WriteEndArray();
        json.WriteEndArray();
        json.WriteStartArray("Metrics");
        foreach (var metric in metrics)
        {
            json.WriteStartObject();
            json.WriteString("Name", metric.Name);
            json.WriteString("Unit", metric.Unit);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
