namespace Realtime.Connect.Hosting.Metrics;

/// <summary>
/// A function's metrics: <see cref="Start"/> opens an invocation's <see cref="InvocationMetrics"/>, and disposing it
/// hands what was counted to the sink as one record, so each invocation writes one line however many events it had.
/// </summary>
/// <param name="function">The <c>Function</c> dimension: <c>connect</c>, <c>disconnect</c>, <c>message</c>, <c>publish</c>, <c>shard</c>.</param>
/// <param name="sink">Where records go; none discards them.</param>
public sealed class FunctionMetrics(string function, IMetricsSink? sink, TimeProvider? timeProvider = null)
{
    public const string Connect = "connect";
    public const string Disconnect = "disconnect";
    public const string Message = "message";
    public const string Publish = "publish";
    public const string Shard = "shard";

    public string Function { get; } = function;

    public TimeProvider TimeProvider { get; } = timeProvider ?? TimeProvider.System;

    /// <summary>Starts recording for the invocation on this async flow; dispose at its end to write the record.</summary>
    public IDisposable Start()
    {
        var previous = InvocationMetrics.Current;
        var metrics = new InvocationMetrics();
        InvocationMetrics.Current = metrics;
        return new Recording(this, metrics, previous);
    }

    private void Write(InvocationMetrics metrics)
    {
        var values = metrics.Snapshot();
        // Nothing counted (a malformed event): no line, rather than one without metrics.
        if (sink is null || values.Count == 0) return;
        sink.Write(new MetricsRecord(Function, metrics.Route, TimeProvider.GetUtcNow(), values,
            InvocationContext.Current?.RequestId, TraceHeader.RootOf(TraceHeader.Current())));
    }

    private sealed class Recording(FunctionMetrics owner, InvocationMetrics metrics, InvocationMetrics? previous) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            InvocationMetrics.Current = previous;
            owner.Write(metrics);
        }
    }
}
