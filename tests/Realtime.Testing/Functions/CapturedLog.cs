using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Realtime.Connect.Hosting;
using Xunit;

namespace Realtime.Testing.Functions;

/// <summary>A logger factory writing the functions' JSON lines into memory, so tests can read what was logged.</summary>
public sealed class CapturedLog : IDisposable
{
    private readonly MemoryStream _output = new();

    public CapturedLog()
    {
        Factory = LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Debug).AddProvider(new JsonLinesLoggerProvider(_output, LogLevel.Debug)));
    }

    public ILoggerFactory Factory { get; }

    public ILogger<T> For<T>() => Factory.CreateLogger<T>();

    /// <summary>Every line written so far, parsed (a line that is not JSON fails the test).</summary>
    public IReadOnlyList<JsonElement> Lines
    {
        get
        {
            string text;
            lock (_output) text = Encoding.UTF8.GetString(_output.ToArray());
            return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();
        }
    }

    public JsonElement Single(string eventName) => Assert.Single(Lines, line => line.TryGetProperty("event", out var e) && e.GetString() == eventName);

    public void Dispose() => Factory.Dispose();
}
