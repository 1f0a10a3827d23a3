using Realtime.Router.Policy;
using Realtime.Router.Topics;

namespace Realtime.Router.Tests.Policy;

public sealed class TopicPolicyTests
{
    private static readonly TopicPolicy Policy = TopicPolicy.Default;

    [Theory]
    [InlineData(TopicAccess.Subscribe, "user:alice", "alice", true)]
    [InlineData(TopicAccess.Send, "user:alice", "alice", false)]
    [InlineData(TopicAccess.Subscribe, "user:bob", "alice", false)]
    [InlineData(TopicAccess.Subscribe, "user:alice:extra", "alice", false)]
    [InlineData(TopicAccess.Subscribe, "user:", "alice", false)]
    [InlineData(TopicAccess.Subscribe, "wishlist:42", "alice", true)]
    [InlineData(TopicAccess.Send, "wishlist:42", "alice", false)]
    [InlineData(TopicAccess.Subscribe, "wishlist:", "alice", false)]
    [InlineData(TopicAccess.Subscribe, "room:lobby", "alice", true)]
    [InlineData(TopicAccess.Send, "room:lobby", "alice", true)]
    [InlineData(TopicAccess.Send, "room:lobby", null, false)]
    [InlineData(TopicAccess.Subscribe, "other:1", "alice", false)]
    public void DefaultPolicy(TopicAccess access, string topic, string? user, bool allowed) =>
        Assert.Equal(allowed, Policy.Allows(access, topic, user));

    [Fact]
    public void TheFirstMatchingRuleDecides()
    {
        var policy = TopicPolicy.Parse("""
            [
              {"pattern":"room:staff","subscribe":false},
              {"pattern":"room:*","subscribe":true,"send":true}
            ]
            """);

        Assert.False(policy.Allows(TopicAccess.Subscribe, "room:staff", "alice"));
        Assert.True(policy.Allows(TopicAccess.Subscribe, "room:lobby", "alice"));
    }

    [Fact]
    public void PlaceholderMatchesOnlyTheExactUserEvenWithPatternCharacters()
    {
        var policy = TopicPolicy.Parse("""[{"pattern":"inbox:{sub}:*","subscribe":true}]""");

        Assert.True(policy.Allows(TopicAccess.Subscribe, "inbox:a.b:mail", "a.b"));
        Assert.False(policy.Allows(TopicAccess.Subscribe, "inbox:aXb:mail", "a.b"));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"pattern":"room:*"}""")]
    [InlineData("""[{"subscribe":true}]""")]
    [InlineData("""[{"pattern":"room:{user}","subscribe":true}]""")]
    [InlineData("""[{"pattern":"{sub}:{sub}","subscribe":true}]""")]
    public void ABadPolicyIsRefusedWithTheVariableNamed(string json)
    {
        var error = Assert.ThrowsAny<Exception>(() => TopicPolicy.Parse(json));

        Assert.True(error is FormatException, error.ToString());
    }

    [Fact]
    public void NoConfigurationMeansTheDefault() => Assert.Same(TopicPolicy.Default, TopicPolicy.FromEnvironment(" "));

    [Theory]
    [InlineData("room:lobby", true)]
    [InlineData("user:auth0|123", true)]
    [InlineData("wishlist:42.a_b-c@d", true)]
    [InlineData("a#b", false)]
    [InlineData("a*", false)]
    [InlineData("a b", false)]
    [InlineData("a\u0000b", false)]
    [InlineData("é", false)]
    [InlineData("", false)]
    public void TopicNames(string topic, bool valid) => Assert.Equal(valid, TopicName.IsValid(topic, out _));
}
