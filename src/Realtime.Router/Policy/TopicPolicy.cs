using System.Text.Json;

namespace Realtime.Router.Policy;

/// <summary>
/// Who may subscribe to or send on which topic: an ordered list of <see cref="TopicRule"/>s, first match decides,
/// and a topic no rule matches is forbidden. Enforced by the server on every subscribe and send; the client's word
/// is never taken. Configured as JSON in <c>REALTIME_TOPIC_POLICY</c>; <see cref="Default"/> otherwise.
/// </summary>
public sealed class TopicPolicy(IReadOnlyList<TopicRule> rules)
{
    public const string EnvironmentVariable = "REALTIME_TOPIC_POLICY";

    /// <summary>Your own <c>user:{sub}</c> (receive only), any <c>wishlist:*</c> (receive), any <c>room:*</c> (receive and send); signed-in users only.</summary>
    public static TopicPolicy Default { get; } = new(
    [
        new TopicRule { Pattern = "user:{sub}", Subscribe = true },
        new TopicRule { Pattern = "wishlist:*", Subscribe = true },
        new TopicRule { Pattern = "room:*", Subscribe = true, Send = true, Who = true },
    ]);

    public IReadOnlyList<TopicRule> Rules { get; } = rules;

    public bool Allows(TopicAccess access, string topic, string? userId)
    {
        foreach (var rule in Rules)
        {
            if (rule.Matches(topic, userId)) return rule.Allows(access, userId);
        }
        return false;
    }

    /// <summary>Reads <c>[{"pattern":"room:*","subscribe":true,"send":true,"anonymous":false}, ...]</c>.</summary>
    public static TopicPolicy Parse(string json)
    {
        List<TopicRule>? rules;
        try
        {
            rules = JsonSerializer.Deserialize(json, RouterJsonContext.Default.ListTopicRule);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{EnvironmentVariable} is not a JSON list of topic rules: {e.Message}", e);
        }
        if (rules is null || rules.Count == 0) throw new FormatException($"{EnvironmentVariable} holds no rules.");
        foreach (var rule in rules) rule.Matches("probe", null); // compiles each pattern now, so a bad one stops start-up
        return new TopicPolicy(rules);
    }

    public static TopicPolicy FromEnvironment(string? value) => string.IsNullOrWhiteSpace(value) ? Default : Parse(value);
}
