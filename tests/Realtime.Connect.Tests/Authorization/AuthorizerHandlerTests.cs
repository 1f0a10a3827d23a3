using System.Text;
using System.Text.Json;
using Realtime.Connect.Authorization;
using Realtime.Connect.Contract;
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
    public async Task Captured_authorizer_event_from_API_Gateway_is_read()
    {
        // The shape API Gateway sends a WebSocket REQUEST authorizer (Connection/Upgrade headers, methodArn on $connect).
        var json = $$"""
        {
          "type": "REQUEST",
          "methodArn": "{{MethodArn}}",
          "headers": { "Connection": "upgrade", "content-length": "0", "Host": "abc123defg.execute-api.eu-west-1.amazonaws.com",
                       "Sec-WebSocket-Extensions": "permessage-deflate; client_max_window_bits", "Sec-WebSocket-Key": "x", "Sec-WebSocket-Version": "13",
                       "Upgrade": "websocket", "X-Amzn-Trace-Id": "Root=1-6", "X-Forwarded-For": "203.0.113.7", "X-Forwarded-Port": "443", "X-Forwarded-Proto": "https" },
          "multiValueHeaders": { "Connection": ["upgrade"], "Upgrade": ["websocket"] },
          "queryStringParameters": { "token": "{{ValidToken()}}" },
          "multiValueQueryStringParameters": { "token": ["{{ValidToken()}}"] },
          "stageVariables": {},
          "requestContext": { "routeKey": "$connect", "eventType": "CONNECT", "extendedRequestId": "Zx1-aFkVjoEFhSw=", "requestTime": "01/Mar/2031:12:00:00 +0000",
                              "messageDirection": "IN", "stage": "prod", "connectedAt": 1930219200000, "requestTimeEpoch": 1930219200000,
                              "identity": { "sourceIp": "203.0.113.7" }, "requestId": "Zx1-aFkVjoEFhSw=", "domainName": "abc123defg.execute-api.eu-west-1.amazonaws.com",
                              "connectionId": "{{ConnectionId}}", "apiId": "abc123defg" }
        }
        """;

        using var output = await Function().FunctionHandler(new MemoryStream(Encoding.UTF8.GetBytes(json))).DefaultTimeout();
        var result = await JsonSerializer.DeserializeAsync(output, ApiGatewayJsonContext.Default.AuthorizerResult).DefaultTimeout();

        AssertPolicy(result!, "Allow");
        Assert.Equal(TestTokens.Subject, result!.PrincipalId);
    }

    private static MemoryStream Serialize(AuthorizerEvent authorizerEvent) =>
        new(JsonSerializer.SerializeToUtf8Bytes(authorizerEvent, ApiGatewayJsonContext.Default.AuthorizerEvent));
}
