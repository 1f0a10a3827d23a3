using System.Text.RegularExpressions;

namespace Realtime.Router.Policy;

/// <summary>
/// One line of the topic policy: a pattern and what it allows. In a pattern, <c>*</c> stands for one or more
/// characters and <c>{sub}</c> for the caller's own user id, so <c>user:{sub}</c> matches only the caller's topic.
/// </summary>
public sealed record TopicRule
{
    private Regex? _regex;

    public required string Pattern { get; init; }
    public bool Subscribe { get; init; }
    public bool Send { get; init; }

    /// <summary>Whether subscribers may ask who else is subscribed: yes for rooms, no for a wishlist's watchers.</summary>
    public bool Who { get; init; }

    /// <summary>Whether connections without a user (anonymous) may use topics this rule matches.</summary>
    public bool Anonymous { get; init; }

    public bool Matches(string topic, string? userId)
    {
        var match = (_regex ??= Compile(Pattern)).Match(topic);
        if (!match.Success) return false;
        var sub = match.Groups["sub"];
        return !sub.Success || (userId is not null && sub.Value == userId);
    }

    public bool Allows(TopicAccess access, string? userId) =>
        (userId is not null || Anonymous) && access switch
        {
            TopicAccess.Subscribe => Subscribe,
            TopicAccess.Send => Send,
            TopicAccess.Who => Who,
            _ => false,
        };

    private static Regex Compile(string pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern)) throw new FormatException("A topic rule needs a pattern.");
        var expression = "^" + Regex.Escape(pattern).Replace(@"\*", ".+", StringComparison.Ordinal).Replace(@"\{sub}", "(?<sub>.+)", StringComparison.Ordinal) + "$";
        if (expression.Split("(?<sub>").Length > 2) throw new FormatException($"The topic pattern '{pattern}' uses {{sub}} more than once.");
        if (expression.Contains(@"\{", StringComparison.Ordinal)) throw new FormatException($"The topic pattern '{pattern}' has an unknown placeholder; only {{sub}} exists.");
        return new Regex(expression, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
    }
}
