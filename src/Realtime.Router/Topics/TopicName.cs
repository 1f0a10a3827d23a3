namespace Realtime.Router.Topics;

/// <summary>
/// What a topic name may be: 1 to 128 characters of letters, digits and <c>: _ - . @ |</c>. Names become part of the
/// registry's keys (<c>TOPIC#{topic}</c>) and of policy patterns, so separators (<c>#</c>), wildcards (<c>*</c>),
/// placeholders (<c>{ }</c>), spaces and control characters are refused rather than escaped.
/// </summary>
public static class TopicName
{
    public const int MaxLength = 128;

    public static bool IsValid(string? topic, out string error)
    {
        if (string.IsNullOrEmpty(topic))
        {
            error = "A topic is required.";
            return false;
        }
        if (topic.Length > MaxLength)
        {
            error = $"A topic is at most {MaxLength} characters.";
            return false;
        }
        foreach (var c in topic)
        {
            if (!IsAllowed(c))
            {
                error = $"A topic may hold only letters, digits and ':_-.@|'; '{(char.IsControl(c) ? '?' : c)}' is not allowed.";
                return false;
            }
        }
        error = "";
        return true;
    }

    private static bool IsAllowed(char c) => char.IsAsciiLetterOrDigit(c) || c is ':' or '_' or '-' or '.' or '@' or '|';
}
