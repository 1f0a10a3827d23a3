namespace Realtime.Connect.Hosting;

/// <summary>
/// The X-Ray trace header of the invocation in progress: the one the runtime handed over
/// (<see cref="InvocationContext.TraceId"/>), else <c>_X_AMZN_TRACE_ID</c>, which Lambda's managed runtime sets per
/// invocation. Read on every use, never cached: it changes with each invocation.
/// </summary>
public static class TraceHeader
{
    /// <summary>The HTTP header that carries the trace to downstream calls.</summary>
    public const string Name = "X-Amzn-Trace-Id";

    public const string Variable = "_X_AMZN_TRACE_ID";

    /// <summary>The full header value (<c>Root=...;Parent=...;Sampled=...</c>), or null outside a traced invocation.</summary>
    public static string? Current(Func<string, string?>? variables = null) =>
        InvocationContext.Current?.TraceId is { Length: > 0 } header ? header
        : (variables ?? Environment.GetEnvironmentVariable)(Variable) is { Length: > 0 } value ? value
        : null;

    /// <summary>The trace id X-Ray and Logs Insights know the trace by: the header's <c>Root</c>, or the header itself when it has none.</summary>
    public static string? RootOf(string? header)
    {
        if (header is null) return null;
        foreach (var part in header.Split(';', StringSplitOptions.TrimEntries))
        {
            if (part.StartsWith("Root=", StringComparison.Ordinal)) return part[5..];
        }
        return header;
    }
}
