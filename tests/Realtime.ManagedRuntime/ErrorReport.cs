using System.Text.Json.Nodes;

namespace Realtime.ManagedRuntime;

/// <summary>
/// The error document the managed runtime posts: <c>errorType</c> (the exception's short type name),
/// <c>errorMessage</c>, <c>stackTrace</c> and the inner exception as <c>cause</c>. A constructor that throws while the
/// handler is created arrives wrapped in a <see cref="System.Reflection.TargetInvocationException"/>, as under
/// <c>Activator.CreateInstance</c> in Lambda, so the function's own exception is its <c>cause</c>.
/// </summary>
internal static class ErrorReport
{
    public static JsonObject From(Exception exception)
    {
        var report = new JsonObject
        {
            ["errorType"] = exception is HandlerException ? "LambdaValidationException" : exception.GetType().Name,
            ["errorMessage"] = exception.Message,
            ["stackTrace"] = new JsonArray((exception.StackTrace ?? "")
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(line => (JsonNode?)line).ToArray()),
        };
        if (exception.InnerException is { } inner) report["cause"] = From(inner);
        return report;
    }

    public static string TypeOf(JsonObject report) => report["errorType"]!.GetValue<string>();
}
