using System.Net;
using Microsoft.Extensions.Logging;

namespace Realtime.Bootstrap;

internal static partial class BootstrapLog
{
    [LoggerMessage(EventId = 900, EventName = "HandlerNotFound", Level = LogLevel.Critical, Message = "The function cannot start: no function of this package has the handler {Handler}")]
    public static partial void HandlerNotFound(ILogger logger, string? handler);

    // The invocation's request and trace ids are on every line logged while it runs (JsonLinesLoggerProvider).
    [LoggerMessage(EventId = 901, EventName = "InvocationFailed", Level = LogLevel.Error, Message = "The invocation failed with {ErrorType}")]
    public static partial void InvocationFailed(ILogger logger, string errorType, Exception exception);

    [LoggerMessage(EventId = 902, EventName = "AnswerRefused", Level = LogLevel.Error, Message = "The Runtime API refused the invocation's answer with {Status}")]
    public static partial void AnswerRefused(ILogger logger, HttpStatusCode status);

    [LoggerMessage(EventId = 903, EventName = "RuntimeApiFailed", Level = LogLevel.Critical, Message = "The Runtime API failed; the process ends")]
    public static partial void RuntimeApiFailed(ILogger logger, Exception exception);
}
