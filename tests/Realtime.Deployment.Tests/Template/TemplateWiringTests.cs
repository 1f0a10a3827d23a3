using System.Text.Json.Nodes;
using Realtime.Deployment.Tests.Infrastructure;
using Realtime.Local.Template;

namespace Realtime.Deployment.Tests.Template;

/// <summary>
/// Every route of the API reaches a function: an integration, the function it names, and a permission that lets this
/// API alone invoke it. The local host's route table is the template's, route for route.
/// </summary>
public sealed class TemplateWiringTests
{
    private static readonly JsonObject Template = SamTemplate.Source;

    public static TheoryData<string> Routes => new(SamTemplate.ResourcesOfType(Template, "AWS::ApiGatewayV2::Route"));

    [Theory]
    [MemberData(nameof(Routes))]
    public void A_route_has_an_integration_a_function_and_a_permission_scoped_to_this_api(string routeId)
    {
        var route = Resource(routeId);
        var target = route["Properties"]!["Target"]!["Fn::Sub"]!.GetValue<string>();
        Assert.StartsWith("integrations/${", target);
        var integration = Resource(target["integrations/${".Length..^1]);
        Assert.Equal("AWS::ApiGatewayV2::Integration", integration["Type"]!.GetValue<string>());
        Assert.Equal("AWS_PROXY", integration["Properties"]!["IntegrationType"]!.GetValue<string>());

        var function = FunctionOf(integration["Properties"]!["IntegrationUri"]!);
        Assert.Equal("AWS::Serverless::Function", Resource(function)["Type"]!.GetValue<string>());
        AssertInvokableByThisApiOnly(function, "/*");
    }

    [Fact]
    public void The_authorizer_has_a_function_and_a_permission_scoped_to_this_authorizer()
    {
        var authorizerId = Assert.Single(SamTemplate.ResourcesOfType(Template, "AWS::ApiGatewayV2::Authorizer"));
        var function = FunctionOf(Resource(authorizerId)["Properties"]!["AuthorizerUri"]!);
        AssertInvokableByThisApiOnly(function, $"/authorizers/${{{authorizerId}}}");
    }

    [Fact]
    public void Every_function_is_reached_by_a_route_the_authorizer_or_the_queue()
    {
        var reached = SamTemplate.ResourcesOfType(Template, "AWS::ApiGatewayV2::Integration")
            .Select(id => FunctionOf(Resource(id)["Properties"]!["IntegrationUri"]!))
            .Concat(SamTemplate.ResourcesOfType(Template, "AWS::ApiGatewayV2::Authorizer").Select(id => FunctionOf(Resource(id)["Properties"]!["AuthorizerUri"]!)))
            .Concat(SamTemplate.FunctionIds(Template).Where(id => Resource(id)["Properties"]!["Events"] is JsonObject events
                && events.Any(e => e.Value!["Type"]!.GetValue<string>() == "SQS")))
            .ToHashSet();
        Assert.Equal(SamTemplate.FunctionIds(Template).Order(), reached.Order());
    }

    [Fact]
    public void The_local_host_routes_each_key_to_the_function_the_template_does()
    {
        var api = TemplateReader.ReadFile(Realtime.Testing.RepositoryFiles.Template, new TemplateContext("abcde12345"));
        var expected = SamTemplate.ResourcesOfType(Template, "AWS::ApiGatewayV2::Route").ToDictionary(
            id => Resource(id)["Properties"]!["RouteKey"]!.GetValue<string>(),
            id =>
            {
                var target = Resource(id)["Properties"]!["Target"]!["Fn::Sub"]!.GetValue<string>();
                return FunctionOf(Resource(target["integrations/${".Length..^1])["Properties"]!["IntegrationUri"]!);
            });

        Assert.Equal(expected.OrderBy(pair => pair.Key), api.Routes.Select(pair => KeyValuePair.Create(pair.Key, pair.Value.FunctionName)).OrderBy(pair => pair.Key));
        foreach (var (key, route) in api.Routes)
        {
            Assert.Equal(SamTemplate.HandlerOf(Template, route.FunctionName), api.Functions[route.FunctionName].Handler);
            Assert.Equal(key == "$connect", route.Authorizer is not null);
        }
    }

    private static void AssertInvokableByThisApiOnly(string function, string sourceArnSuffix)
    {
        var permissions = SamTemplate.ResourcesOfType(Template, "AWS::Lambda::Permission")
            .Select(Resource)
            .Where(permission => permission["Properties"]!["FunctionName"]!["Ref"]?.GetValue<string>() == function)
            .ToList();
        var permission = Assert.Single(permissions);
        Assert.Equal("apigateway.amazonaws.com", permission["Properties"]!["Principal"]!.GetValue<string>());
        Assert.Equal("lambda:InvokeFunction", permission["Properties"]!["Action"]!.GetValue<string>());
        var sourceArn = permission["Properties"]!["SourceArn"]?["Fn::Sub"]?.GetValue<string>();
        Assert.Equal($"arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{WebSocketApi}}{sourceArnSuffix}", sourceArn);
    }

    /// <summary>The function an integration or authorizer URI invokes: <c>...functions/${X.Arn}/invocations</c>.</summary>
    private static string FunctionOf(JsonNode uri)
    {
        var text = uri["Fn::Sub"]!.GetValue<string>();
        var start = text.IndexOf("functions/${", StringComparison.Ordinal) + "functions/${".Length;
        return text[start..text.IndexOf(".Arn}", start, StringComparison.Ordinal)];
    }

    private static JsonObject Resource(string id) => SamTemplate.Resources(Template)[id]!.AsObject();
}
