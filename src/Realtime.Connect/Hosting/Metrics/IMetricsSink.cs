namespace Realtime.Connect.Hosting.Metrics;

/// <summary>Where each invocation's metrics go: an EMF log line in Lambda, a running summary in the local host.</summary>
public interface IMetricsSink
{
    void Write(MetricsRecord record);
}
