namespace Realtime.Connect.Hosting.Metrics;

/// <summary>One invocation's metrics as they leave the function: which function, when, and what it counted.</summary>
public sealed record MetricsRecord(
    string Function,
    string? Route,
    DateTimeOffset Timestamp,
    IReadOnlyList<KeyValuePair<Metric, IReadOnlyList<double>>> Values,
    string? RequestId,
    string? TraceId);
