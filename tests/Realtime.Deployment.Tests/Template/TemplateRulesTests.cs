using System.Text.Json.Nodes;
using Realtime.Deployment.Tests.Infrastructure;

namespace Realtime.Deployment.Tests.Template;

/// <summary>
/// The template's <c>Rules</c> refuse parameters that would deploy a stack nobody can connect to. CloudFormation
/// evaluates them before it creates anything; here a small evaluator of the rule functions the template uses
/// (<c>Fn::Equals</c>, <c>Fn::Not</c>, <c>Fn::And</c>, <c>Fn::Or</c>, <c>Ref</c> to a parameter) does the same.
/// </summary>
public sealed class TemplateRulesTests
{
    [Fact]
    public void The_default_parameters_are_refused_with_a_message_naming_the_issuer()
    {
        var failed = FailedAssertions(new Dictionary<string, string>());
        Assert.Contains(failed, message => message.Contains("JwtIssuer", StringComparison.Ordinal) && message.Contains("AllowAnonymous", StringComparison.Ordinal));
    }

    [Fact]
    public void An_issuer_without_an_audience_is_refused_with_a_message_naming_the_audience()
    {
        var failed = FailedAssertions(new Dictionary<string, string> { ["JwtIssuer"] = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Example" });
        Assert.Contains(failed, message => message.Contains("JwtAudience", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Example", "app-client-id", "false")]
    [InlineData("", "", "true")]
    [InlineData("https://issuer.example.com", "api://realtime", "true")]
    public void A_configuration_that_can_let_clients_in_passes_every_rule(string issuer, string audience, string anonymous)
    {
        Assert.Empty(FailedAssertions(new Dictionary<string, string> { ["JwtIssuer"] = issuer, ["JwtAudience"] = audience, ["AllowAnonymous"] = anonymous }));
    }

    private static List<string> FailedAssertions(Dictionary<string, string> given)
    {
        var template = SamTemplate.Source;
        string Parameter(string name) => given.TryGetValue(name, out var value) ? value : SamTemplate.DefaultOf(template, name) ?? "";
        var failed = new List<string>();
        foreach (var (_, rule) in template["Rules"]!.AsObject())
        {
            if (rule!["RuleCondition"] is { } condition && !Evaluate(condition, Parameter)) continue;
            foreach (var assertion in rule["Assertions"]!.AsArray())
            {
                if (!Evaluate(assertion!["Assert"]!, Parameter)) failed.Add(assertion["AssertDescription"]!.GetValue<string>());
            }
        }
        return failed;
    }

    private static bool Evaluate(JsonNode node, Func<string, string> parameter)
    {
        var (function, arguments) = node.AsObject().Single();
        return function switch
        {
            "Fn::Equals" => Value(arguments![0]!, parameter) == Value(arguments[1]!, parameter),
            "Fn::Not" => !Evaluate(arguments![0]!, parameter),
            "Fn::And" => arguments!.AsArray().All(argument => Evaluate(argument!, parameter)),
            "Fn::Or" => arguments!.AsArray().Any(argument => Evaluate(argument!, parameter)),
            _ => throw new NotSupportedException($"The rule function {function} is not one this evaluator knows; teach it."),
        };
    }

    private static string Value(JsonNode node, Func<string, string> parameter) =>
        node is JsonValue literal ? literal.ToString() : parameter(node["Ref"]!.GetValue<string>());
}
