using System.Text.Json;
using System.Text.Json.Nodes;
using Realtime.Connect.Contract;

namespace Realtime.Connect.Tests.Contract;

public sealed class AuthorizerContractTests
{
    [Fact]
    public void RequestAuthorizerEventRoundTripsExactly()
    {
        var original = JsonNode.Parse(Samples.Read("authorizer-request.json"));

        var authorizerEvent = JsonSerializer.Deserialize(Samples.Read("authorizer-request.json"), ApiGatewayJsonContext.Default.AuthorizerEvent)!;
        var written = JsonNode.Parse(JsonSerializer.Serialize(authorizerEvent, ApiGatewayJsonContext.Default.AuthorizerEvent));

        Assert.True(JsonNode.DeepEquals(original, written), $"written:\n{written}");
        Assert.Equal("REQUEST", authorizerEvent.Type);
        Assert.EndsWith("/prod/$connect", authorizerEvent.MethodArn);
        Assert.Equal("upgrade", authorizerEvent.Headers!["Connection"]);
        Assert.Equal("queryValue1", authorizerEvent.QueryStringParameters!["QueryString1"]);
    }

    [Fact]
    public void ResultIsWrittenInIamCase()
    {
        var result = new AuthorizerResult
        {
            PrincipalId = "alice",
            PolicyDocument = new PolicyDocument
            {
                Statement = [new PolicyStatement { Action = ["execute-api:Invoke"], Effect = "Allow", Resource = ["arn:aws:execute-api:us-east-1:1:a/prod/$connect"] }],
            },
            Context = new Dictionary<string, JsonElement> { ["userName"] = JsonSerializer.SerializeToElement("alice", ApiGatewayJsonContext.Default.String) },
        };

        var json = JsonSerializer.Serialize(result, ApiGatewayJsonContext.Default.AuthorizerResult);

        Assert.Equal(
            """{"principalId":"alice","policyDocument":{"Version":"2012-10-17","Statement":[{"Action":"execute-api:Invoke","Effect":"Allow","Resource":"arn:aws:execute-api:us-east-1:1:a/prod/$connect"}]},"context":{"userName":"alice"}}""",
            json);
    }

    [Fact]
    public void ResultWithListsOfActionsAndResourcesIsRead()
    {
        const string json = """{"principalId":"p","policyDocument":{"Version":"2012-10-17","Statement":[{"Action":["execute-api:Invoke"],"Effect":"Deny","Resource":["a","b"]}]}}""";

        var statement = JsonSerializer.Deserialize(json, ApiGatewayJsonContext.Default.AuthorizerResult)!.PolicyDocument!.Statement.Single();

        Assert.Equal("Deny", statement.Effect);
        Assert.Equal(["a", "b"], statement.Resource);
    }
}
