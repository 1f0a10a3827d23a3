using Realtime.Connect.Contract;
using Realtime.Local.Authorization;

namespace Realtime.Local.Tests.Authorization;

public sealed class IamPatternTests
{
    [Theory]
    [InlineData("arn:aws:execute-api:us-east-1:1:abc/local/$connect", "arn:aws:execute-api:us-east-1:1:abc/local/$connect", true)]
    [InlineData("arn:aws:execute-api:us-east-1:1:abc/local/*", "arn:aws:execute-api:us-east-1:1:abc/local/$connect", true)]
    [InlineData("arn:aws:execute-api:*:*:*/*/$connect", "arn:aws:execute-api:us-east-1:1:abc/local/$connect", true)]
    [InlineData("*", "arn:aws:execute-api:us-east-1:1:abc/local/$connect", true)]
    [InlineData("arn:aws:execute-api:us-east-1:1:abc/local/*/*", "arn:aws:execute-api:us-east-1:1:abc/local/$connect", false)]
    [InlineData("arn:aws:execute-api:us-east-1:1:abc/prod/$connect", "arn:aws:execute-api:us-east-1:1:abc/local/$connect", false)]
    [InlineData("arn:aws:execute-api:us-east-1:1:abc/local/$connec?", "arn:aws:execute-api:us-east-1:1:abc/local/$connect", true)]
    [InlineData("arn:aws:execute-api:us-east-1:1:abc/local/$CONNECT", "arn:aws:execute-api:us-east-1:1:abc/local/$connect", false)]
    public void Resources_match_with_iam_wildcards(string pattern, string arn, bool matches)
    {
        Assert.Equal(matches, IamPattern.Matches(pattern, arn));
    }
}

public sealed class PolicyEvaluatorTests
{
    private const string Arn = "arn:aws:execute-api:us-east-1:1:abc/local/$connect";

    private static PolicyDocument Policy(params (string Effect, string Action, string Resource)[] statements) => new()
    {
        Statement = statements.Select(s => new PolicyStatement { Effect = s.Effect, Action = [s.Action], Resource = [s.Resource] }).ToList(),
    };

    [Fact]
    public void An_allow_on_the_connect_arn_allows() =>
        Assert.True(PolicyEvaluator.Allows(Policy(("Allow", "execute-api:Invoke", Arn)), Arn));

    [Fact]
    public void An_explicit_deny_wins_over_an_allow() =>
        Assert.False(PolicyEvaluator.Allows(Policy(("Allow", "execute-api:Invoke", "*"), ("Deny", "execute-api:Invoke", Arn)), Arn));

    [Fact]
    public void No_matching_statement_denies() =>
        Assert.False(PolicyEvaluator.Allows(Policy(("Allow", "execute-api:Invoke", "arn:aws:execute-api:us-east-1:1:abc/local/*/*")), Arn));

    [Fact]
    public void An_allow_of_another_action_does_not_allow() =>
        Assert.False(PolicyEvaluator.Allows(Policy(("Allow", "execute-api:ManageConnections", Arn)), Arn));

    [Fact]
    public void Action_wildcards_match() =>
        Assert.True(PolicyEvaluator.Allows(Policy(("Allow", "execute-api:*", Arn)), Arn));
}
