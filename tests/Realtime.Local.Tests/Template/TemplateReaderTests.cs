using Realtime.Local.Template;

namespace Realtime.Local.Tests.Template;

/// <summary>Reading SAM templates: the project's own, and every way one can be wrong.</summary>
public sealed class TemplateReaderTests
{
    private static readonly TemplateContext Context = new("abcde12345");

    private static ApiDefinition Read(string json) => TemplateReader.Read(json, Context);

    [Fact]
    public void The_project_template_describes_its_routes_functions_and_authorizer()
    {
        var api = TemplateReader.ReadFile(RepositoryFiles.Template, Context);

        Assert.Equal("$request.body.action", api.RouteSelectionExpression);
        Assert.Equal(["$connect", "$default", "$disconnect", "ping", "send", "subscribe", "unsubscribe", "who"], api.Routes.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("ConnectFunction", api.Routes["$connect"].FunctionName);
        Assert.Equal("MessageFunction", api.Routes["ping"].FunctionName);
        var authorizer = api.Routes["$connect"].Authorizer!;
        Assert.Equal("AuthorizerFunction", authorizer.FunctionName);
        Assert.Empty(authorizer.IdentitySources);
        Assert.Equal("Realtime.Router::Realtime.Router.Functions.MessageFunction::FunctionHandler", api.Functions["MessageFunction"].Handler);
        Assert.DoesNotContain("PublishFunction", api.Functions.Keys); // not behind a route
        Assert.All(api.Routes.Values, route => Assert.False(route.TwoWay));
    }

    [Fact]
    public void Environment_variables_are_resolved_with_globals_parameters_and_the_table()
    {
        var api = TemplateReader.ReadFile(RepositoryFiles.Template, Context with { TableName = "local-table" });

        var authorizer = api.Functions["AuthorizerFunction"].Environment;
        Assert.Equal("local-table", api.Functions["ConnectFunction"].Environment["REALTIME_TABLE"]);
        Assert.DoesNotContain("REALTIME_TABLE", authorizer.Keys);
        Assert.Equal("false", authorizer["REALTIME_ALLOW_ANONYMOUS"]);
        Assert.Equal(TimeSpan.FromSeconds(10), api.Functions["AuthorizerFunction"].Timeout);
        Assert.Equal(TimeSpan.FromSeconds(29), api.Functions["MessageFunction"].Timeout);
    }

    [Fact]
    public void Parameter_overrides_replace_defaults()
    {
        var api = TemplateReader.ReadFile(RepositoryFiles.Template, Context with { ParameterOverrides = new Dictionary<string, string> { ["AllowAnonymous"] = "true" } });

        Assert.Equal("true", api.Functions["AuthorizerFunction"].Environment["REALTIME_ALLOW_ANONYMOUS"]);
    }

    private const string Minimal = """
        {
          "Resources": {
            "Api": { "Type": "AWS::ApiGatewayV2::Api", "Properties": { "ProtocolType": "WEBSOCKET", "RouteSelectionExpression": "$request.body.action" } },
            "Fn": { "Type": "AWS::Serverless::Function", "Properties": { "Handler": "A::B.C::M" } },
            "Integration": { "Type": "AWS::ApiGatewayV2::Integration", "Properties": { "ApiId": { "Ref": "Api" }, "IntegrationType": "AWS_PROXY",
              "IntegrationUri": { "Fn::Join": ["", ["arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/", { "Fn::GetAtt": ["Fn", "Arn"] }, "/invocations"]] },
              "TimeoutInMillis": 500 } },
            "Route": { "Type": "AWS::ApiGatewayV2::Route", "Properties": { "ApiId": { "Ref": "Api" }, "RouteKey": "$default",
              "Target": { "Fn::Join": ["/", ["integrations", { "Ref": "Integration" }]] } } }
            __EXTRA__
          }
        }
        """;

    private static string With(string extra) => Minimal.Replace("__EXTRA__", extra);

    [Fact]
    public void Join_and_GetAtt_targets_resolve_and_the_integration_timeout_is_read()
    {
        var route = Read(With("")).Routes["$default"];

        Assert.Equal("Fn", route.FunctionName);
        Assert.Equal(TimeSpan.FromMilliseconds(500), route.IntegrationTimeout);
    }

    [Fact]
    public void A_route_response_makes_its_route_two_way()
    {
        var api = Read(With("""
            ,
            "Response": { "Type": "AWS::ApiGatewayV2::RouteResponse", "Properties": { "ApiId": { "Ref": "Api" }, "RouteId": { "Ref": "Route" }, "RouteResponseKey": "$default" } }
            """));

        Assert.True(api.Routes["$default"].TwoWay);
    }

    [Fact]
    public void Identity_sources_are_read_from_a_list_or_a_comma_separated_string()
    {
        var api = Read(With("""
            ,
            "Auth": { "Type": "AWS::ApiGatewayV2::Authorizer", "Properties": { "ApiId": { "Ref": "Api" }, "AuthorizerType": "REQUEST",
              "AuthorizerUri": { "Fn::Sub": "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations" },
              "IdentitySource": "route.request.header.Auth, route.request.querystring.token" } },
            "ConnectRoute": { "Type": "AWS::ApiGatewayV2::Route", "Properties": { "ApiId": { "Ref": "Api" }, "RouteKey": "$connect",
              "AuthorizationType": "CUSTOM", "AuthorizerId": { "Ref": "Auth" }, "Target": { "Fn::Sub": "integrations/${Integration}" } } }
            """));

        Assert.Equal(
            [new IdentitySource(IdentitySourceKind.Header, "Auth"), new IdentitySource(IdentitySourceKind.QueryString, "token")],
            api.Routes["$connect"].Authorizer!.IdentitySources);
    }

    [Theory]
    [InlineData("not json", "is not a JSON template")]
    [InlineData("""{"Resources":{}}""", "defines no AWS::ApiGatewayV2::Api with ProtocolType WEBSOCKET")]
    [InlineData("""{"Resources":{"Api":{"Type":"AWS::ApiGatewayV2::Api","Properties":{"ProtocolType":"WEBSOCKET"}}}}""", "has no RouteSelectionExpression")]
    [InlineData("""{"Resources":{"Api":{"Type":"AWS::ApiGatewayV2::Api","Properties":{"ProtocolType":"WEBSOCKET","RouteSelectionExpression":"$request.body.a"}}}}""", "has no AWS::ApiGatewayV2::Route")]
    public void A_template_that_is_not_a_websocket_api_is_refused(string json, string message)
    {
        var error = Assert.Throws<TemplateException>(() => Read(json));

        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void A_route_without_a_target_is_refused()
    {
        var error = Assert.Throws<TemplateException>(() => Read(With("""
            ,
            "Orphan": { "Type": "AWS::ApiGatewayV2::Route", "Properties": { "ApiId": { "Ref": "Api" }, "RouteKey": "orphan" } }
            """)));

        Assert.Contains("route Orphan has no Target", error.Message);
    }

    [Fact]
    public void A_non_proxy_integration_is_refused()
    {
        var error = Assert.Throws<TemplateException>(() => Read(With("").Replace("\"AWS_PROXY\"", "\"MOCK\"")));

        Assert.Contains("only AWS_PROXY Lambda integrations are emulated", error.Message);
    }

    [Fact]
    public void An_integration_that_names_no_function_of_the_template_is_refused()
    {
        var error = Assert.Throws<TemplateException>(() => Read(With("").Replace("{ \"Fn::GetAtt\": [\"Fn\", \"Arn\"] }", "\"arn:aws:lambda:us-east-1:1:function:Elsewhere\"")));

        Assert.Contains("does not name a function of the template", error.Message);
    }

    [Fact]
    public void A_route_key_defined_twice_is_refused()
    {
        var error = Assert.Throws<TemplateException>(() => Read(With("""
            ,
            "Again": { "Type": "AWS::ApiGatewayV2::Route", "Properties": { "ApiId": { "Ref": "Api" }, "RouteKey": "$default", "Target": { "Fn::Sub": "integrations/${Integration}" } } }
            """)));

        Assert.Contains("'$default' is defined twice", error.Message);
    }

    [Fact]
    public void An_unknown_intrinsic_is_refused_where_it_matters()
    {
        var error = Assert.Throws<TemplateException>(() => Read(With("").Replace("\"RouteKey\": \"$default\"", "\"RouteKey\": { \"Fn::ImportValue\": \"x\" }")));

        Assert.Contains("Fn::ImportValue is not supported locally", error.Message);
    }
}
