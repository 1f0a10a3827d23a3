using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Realtime.Connect.Authorization;
using Realtime.Connect.Contract;
using Realtime.Connect.Tests.Contract;
using Realtime.Testing;

namespace Realtime.Connect.Tests.Authorization;

/// <summary>The Lambda entry point: event JSON in, result JSON out, exactly as API Gateway reads it.</summary>
public sealed class AuthorizerHandlerTests : AuthorizerTestBase
{
    [Fact]
    public async Task Allow_is_written_as_an_IAM_policy_on_the_connect_method_arn_with_a_flat_context()
    {
        var input = Serialize(EventWithQueryToken(ValidToken()));

        using var output = await Function().FunctionHandler(input).DefaultTimeout();
        using var json = await JsonDocument.ParseAsync(output).DefaultTimeout();

        var root = json.RootElement;
        Assert.Equal(TestTokens.Subject, root.GetProperty("principalId").GetString());
        var policy = root.GetProperty("policyDocument");
        Assert.Equal("2012-10-17", policy.GetProperty("Version").GetString());
        var statement = Assert.Single(policy.GetProperty("Statement").EnumerateArray());
        Assert.Equal("execute-api:Invoke", statement.GetProperty("Action").GetString());
        Assert.Equal("Allow", statement.GetProperty("Effect").GetString());
        Assert.Equal(MethodArn, statement.GetProperty("Resource").GetString());
        var context = root.GetProperty("context");
        Assert.Equal(["anonymous", "groups", "userName"], context.EnumerateObject().Select(property => property.Name).Order(StringComparer.Ordinal));
        Assert.All(context.EnumerateObject(), property => Assert.Equal(JsonValueKind.String, property.Value.ValueKind));
        Assert.Equal("admins,editors", context.GetProperty("groups").GetString());
    }

    [Fact]
    public async Task Deny_is_written_without_a_context()
    {
        var input = Serialize(EventWithQueryToken("garbage"));

        using var output = await Function().FunctionHandler(input).DefaultTimeout();
        using var json = await JsonDocument.ParseAsync(output).DefaultTimeout();

        var root = json.RootElement;
        Assert.Equal("denied", root.GetProperty("principalId").GetString());
        Assert.Equal("Deny", root.GetProperty("policyDocument").GetProperty("Statement")[0].GetProperty("Effect").GetString());
        Assert.False(root.TryGetProperty("context", out _));
    }

    [Fact]
    public async Task Missing_token_fails_the_invocation_with_the_error_Unauthorized()
    {
        var input = Serialize(EventWithQueryToken(null));

        var exception = await Assert.ThrowsAsync<UnauthorizedException>(() => Function().FunctionHandler(input)).DefaultTimeout();

        Assert.Equal("Unauthorized", exception.Message);
    }

    [Fact]
    public async Task Captured_authorizer_event_with_a_token_added_is_allowed_on_its_own_method_arn()
    {
        var captured = JsonNode.Parse(Samples.Read("authorizer-request.json"))!.AsObject();
        captured["queryStringParameters"]!["token"] = ValidToken();
        captured["multiValueQueryStringParameters"]!["token"] = new JsonArray(ValidToken());

        using var output = await Function().FunctionHandler(new MemoryStream(Encoding.UTF8.GetBytes(captured.ToJsonString()))).DefaultTimeout();
        var result = await JsonSerializer.DeserializeAsync(output, ApiGatewayJsonContext.Default.AuthorizerResult).DefaultTimeout();

        Assert.Equal(TestTokens.Subject, result!.PrincipalId);
        var statement = Assert.Single(result.PolicyDocument!.Statement);
        Assert.Equal("Allow", statement.Effect);
        Assert.Equal([captured["methodArn"]!.GetValue<string>()], statement.Resource);
        Assert.Equal("QrStUvWxYzAbCdE=", Assert.Single(Logger.Named("TokenAccepted")).Values["ConnectionId"]);
    }

    private static MemoryStream Serialize(AuthorizerEvent authorizerEvent) =>
        new(JsonSerializer.SerializeToUtf8Bytes(authorizerEvent, ApiGatewayJsonContext.Default.AuthorizerEvent));
}
