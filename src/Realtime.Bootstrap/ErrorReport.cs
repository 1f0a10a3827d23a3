using System.Text.Json;

namespace Realtime.Bootstrap;

/// <summary>
/// The error document the Runtime API takes (<c>application/vnd.aws.lambda.error+json</c>): <c>errorType</c>,
/// <c>errorMessage</c> and <c>stackTrace</c> as a list of lines. Written with <see cref="Utf8JsonWriter"/>, which
/// needs no serializer metadata under Native AOT.
/// </summary>
internal sealed record ErrorReport(string ErrorType, string ErrorMessage, IReadOnlyList<string> StackTrace)
{
    /// <summary>The name Lambda's own runtimes give a handler string that names no function.</summary>
    public const string HandlerNotFoundType = "Runtime.HandlerNotFound";

    /// <summary>An exception by its short type name, as the managed runtime reports it.</summary>
    public static ErrorReport From(Exception exception) => new(
        exception.GetType().Name,
        exception.Message,
        (exception.StackTrace ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    public static ErrorReport HandlerNotFound(string? handler) => new(
        HandlerNotFoundType,
        $"No function of this package has the handler '{handler}'. Known handlers: {string.Join(", ", Handlers.Names)}.",
        []);

    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("errorType", ErrorType);
            json.WriteString("errorMessage", ErrorMessage);
            json.WriteStartArray("stackTrace");
            foreach (var line in StackTrace) json.WriteStringValue(line);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
