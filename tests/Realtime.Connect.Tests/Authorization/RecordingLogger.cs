using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Realtime.Connect.Tests.Authorization;

/// <summary>Keeps every log entry, with its structured values, so a test can assert why a token was refused.</summary>
public sealed class RecordingLogger<T> : ILogger<T>
{
    public ConcurrentQueue<LogEntry> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var values = state as IEnumerable<KeyValuePair<string, object?>> ?? [];
        Entries.Enqueue(new LogEntry(logLevel, eventId.Name ?? "", formatter(state, exception),
            values.ToDictionary(pair => pair.Key, pair => pair.Value?.ToString()), exception));
    }

    public IEnumerable<LogEntry> Named(string eventName) => Entries.Where(entry => entry.EventName == eventName);
}

public sealed record LogEntry(LogLevel Level, string EventName, string Message, IReadOnlyDictionary<string, string?> Values, Exception? Exception);
