using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Realtime.Local.Hosting;

/// <summary>
/// One short line per log entry: local time, a level tag only when it is not Information, the message, and an
/// exception's type and message (its stack only at Error and above).
/// </summary>
internal sealed class GatewayConsoleFormatter() : ConsoleFormatter(Name)
{
    public new const string Name = "realtime";

    public override void Write<TState>(in LogEntry<TState> logEntry, Microsoft.Extensions.Logging.IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (string.IsNullOrEmpty(message) && logEntry.Exception is null) return;

        textWriter.Write(DateTime.Now.ToString("HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture));
        textWriter.Write("  ");
        var tag = logEntry.LogLevel switch
        {
            LogLevel.Warning => "warn: ",
            LogLevel.Error => "error: ",
            LogLevel.Critical => "crit: ",
            LogLevel.Debug => "",
            LogLevel.Trace => "trace: ",
            _ => "",
        };
        textWriter.Write(tag);
        textWriter.Write(message);
        if (logEntry.Exception is { } exception)
        {
            textWriter.Write(logEntry.LogLevel >= LogLevel.Error ? Environment.NewLine + exception : $": {exception.GetType().Name}: {exception.Message}");
        }
        textWriter.WriteLine();
    }
}
