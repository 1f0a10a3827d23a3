using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Realtime.Connect.Hosting;

/// <summary>
/// Writes one JSON object per line to stdout, synchronously: Lambda ships stdout lines to CloudWatch as they are
/// written, and a background queue could lose the last lines when the runtime freezes the process after a response.
/// Structured values from <c>[LoggerMessage]</c> methods become properties, so Logs Insights can filter on them.
/// </summary>
public sealed class JsonLinesLoggerProvider(Stream output, LogLevel minimumLevel = LogLevel.Information) : ILoggerProvider
{
    private readonly Lock _writeLock = new();
    private readonly LogLevel _minimumLevel = minimumLevel;

    public JsonLinesLoggerProvider() : this(Console.OpenStandardOutput())
    {
    }

    public ILogger CreateLogger(string categoryName) => new JsonLinesLogger(this, categoryName);

    public void Dispose()
    {
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
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

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
                if (state is IReadOnlyList<KeyValuePair<string, object?>> values)
                {
                    foreach (var (key, value) in values)
                    {
                        if (key == "{OriginalFormat}") continue;
                        WriteValue(json, key, value);
                    }
                }
                if (exception is not null) json.WriteString("exception", exception.ToString());
                json.WriteEndObject();
            }
            buffer.Write("\n"u8);
            provider.Write(buffer.WrittenSpan);
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
