namespace Realtime.Smoke;

/// <summary>A step that did not do what it should; the message is the reason the report prints after FAILED.</summary>
internal class StepFailedException(string message) : Exception(message);

/// <summary>
/// The server's <c>{"type":"error","code":...,"message":...}</c> answer to a request, kept apart so a step can add
/// what the code usually means in its context (e.g. <c>forbidden</c> for an anonymous subscriber).
/// </summary>
internal sealed class ErrorAnswerException(string code, string serverMessage)
    : StepFailedException($"error {code}: {serverMessage}")
{
    public string Code { get; } = code;
}
