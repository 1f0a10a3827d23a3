using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Realtime.Connect.Hosting;

/// <summary>
/// Writes one JSON object per line to stdout, synchronously: Lambda ships stdout lines to CloudWatch as they are
/// written, and a background queue could lose the last lines when the runtime freezes the process after a response.
/// Structured values from <c>[LoggerMessage]</c> methods become properties, so Logs Insights can filter on them, and
/// so do the values of the scopes open around the call (the connection id and route of a proxy event). Every line
/// also names its invocation: <c>requestId</c> and <c>traceId</c> (the X-Ray trace, see <see cref="TraceHeader"/>).
/// </summary>
/// <param name="variables">Reads <c>_X_AMZN_TRACE_ID</c> under the managed runtime; the process environment when null.</param>
public sealed class JsonLinesLoggerProvider(Stream output, LogLevel minimumLevel = LogLevel.Information, Func<string, string?>? variables = null) : ILoggerProvider
{
    private readonly Lock _writeLock = new();
    private readonly LogLevel _minimumLevel = minimumLevel;
    private readonly AsyncLocal<LogScope?> _scope = new();
    private readonly Func<string, string?>? _variables = variables;

    public JsonLinesLoggerProvider() : this(Console.OpenStandardOutput())
    {
    }

    public ILogger CreateLogger(string categoryName) => new JsonLinesLogger(this, categoryName);

    public void Dispose()
    {
    }

    private IDisposable BeginScope(object state)
    {
        var scope = new LogScope(state, _scope.Value, parent => _scope.Value = parent);
        _scope.Value = scope;
        return scope;
    }

    private void Write(ReadOnlySpan<byte> line)
    {
        lock (_writeLock)
        {
            output.Write(line);
            output.Flush();
        }
    }

    private sealed class JsonLinesLogger(JsonLinesLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel >= provider._minimumLevel && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;

            var buffer = new ArrayBufferWriter<byte>(256);
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteString("timestamp", DateTimeOffset.UtcNow);
                json.WriteString("level", logLevel.ToString());
                json.WriteString("category", category);
                if (eventId.Name is { } name) json.WriteString("event", name);
                json.WriteString("message", formatter(state, exception));
                WriteInvocation(json);
                var values = state as IReadOnlyList<KeyValuePair<string, object?>>;
                if (values is not null)
                {
                    foreach (var (key, value) in values)
                    {
                        if (key == "{OriginalFormat}") continue;
                        WriteValue(json, key, value);
                    }
                }
                WriteScopes(json, values);
                if (exception is not null) json.WriteString("exception", exception.ToString());
                json.WriteEndObject();
            }
            buffer.Write("\n"u8);
            provider.Write(buffer.WrittenSpan);
        }

        private void WriteInvocation(Utf8JsonWriter json)
        {
            if (InvocationContext.Current is { } invocation) json.WriteString("requestId", invocation.RequestId);
            if (TraceHeader.RootOf(TraceHeader.Current(provider._variables)) is { } traceId) json.WriteString("traceId", traceId);
        }

        /// <summary>The open scopes' values; the event's own values and inner scopes win over a repeated name.</summary>
        private void WriteScopes(Utf8JsonWriter json, IReadOnlyList<KeyValuePair<string, object?>>? values)
        {
            if (provider._scope.Value is not { } scope) return;
            List<string>? written = null;
            foreach (var (key, value) in scope.Values())
            {
                if (Contains(values, key) || written?.Contains(key) == true) continue;
                (written ??= []).Add(key);
                WriteValue(json, key, value);
            }
        }

        private static bool Contains(IReadOnlyList<KeyValuePair<string, object?>>? values, string key)
        {
            if (values is null) return false;
            foreach (var (name, _) in values)
            {
                if (name == key) return true;
            }
            return false;
        }

        private static void WriteValue(Utf8JsonWriter json, string key, object? value)
        {
            switch (value)
            {
                case null: json.WriteNull(key); break;
                case bool b: json.WriteBoolean(key, b); break;
                case int i: json.WriteNumber(key, i); break;
                case long l: json.WriteNumber(key, l); break;
                case double d: json.WriteNumber(key, d); break;
                default: json.WriteString(key, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)); break;
            }
        }
    }
}
