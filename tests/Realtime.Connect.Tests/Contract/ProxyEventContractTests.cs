using System.Text.Json;
using System.Text.Json.Nodes;
using Realtime.Connect.Contract;

namespace Realtime.Connect.Tests.Contract;

/// <summary>The contract types read captured API Gateway events and write them back key for key.</summary>
public sealed class ProxyEventContractTests
{
    [Theory]
    [InlineData("connect.json")]
    [InlineData("connect-authorized.json")]
    [InlineData("message.json")]
    [InlineData("disconnect.json")]
    public void CapturedEventRoundTripsExactly(string sample)
    {
        var original = JsonNode.Parse(Samples.Read(sample));

        var proxyEvent = JsonSerializer.Deserialize(Samples.Read(sample), ApiGatewayJsonContext.Default.WebSocketProxyEvent);
        var written = JsonNode.Parse(JsonSerializer.Serialize(proxyEvent, ApiGatewayJsonContext.Default.WebSocketProxyEvent));

        Assert.True(JsonNode.DeepEquals(original, written), $"written:\n{written}");
    }

    [Fact]
    public void ConnectEventHasHeadersAndNoBodyOrQueryString()
    {
        var proxyEvent = Samples.Event("connect.json");

        Assert.Equal(WebSocketEventType.Connect, proxyEvent.RequestContext.EventType);
        Assert.Equal("QrStUvWxYzAbCdE=", proxyEvent.RequestContext.ConnectionId);
        Assert.Equal(1705751697419, proxyEvent.RequestContext.ConnectedAt);
        Assert.Equal("203.0.113.10", proxyEvent.RequestContext.Identity?.SourceIp);
        Assert.Equal("13", proxyEvent.Headers!["Sec-WebSocket-Version"]);
        Assert.Null(proxyEvent.Body);
        Assert.Null(proxyEvent.QueryStringParameters);
        Assert.Null(proxyEvent.RequestContext.MessageId);
        Assert.Null(proxyEvent.RequestContext.Authorizer);
    }

    [Fact]
    public void AuthorizerContextIsReadAsStrings()
    {
        var authorizer = Samples.Event("connect-authorized.json").RequestContext.Authorizer!;

        Assert.Equal("alice", authorizer.PrincipalId);
        Assert.Equal(27, authorizer.IntegrationLatency);
        Assert.Equal("admins,staff", authorizer["groups"]);
        Assert.Equal("42", authorizer["age"]);
        Assert.Null(authorizer["nothing"]);
        Assert.True(authorizer.Values.ContainsKey("nothing"));
    }

    [Fact]
    public void UnstringifiedAuthorizerScalarsAreKeptAsTheirText()
    {
        const string json = """{"requestContext":{"connectionId":"x=","authorizer":{"principalId":"bob","age":42,"admin":true}}}""";

        var authorizer = JsonSerializer.Deserialize(json, ApiGatewayJsonContext.Default.WebSocketProxyEvent)!.RequestContext.Authorizer!;

        Assert.Equal("42", authorizer["age"]);
        Assert.Equal("true", authorizer["admin"]);
    }

    [Fact]
    public void AuthorizerContextWithAnObjectValueIsRejected()
    {
        const string json = """{"requestContext":{"connectionId":"x=","authorizer":{"principalId":"bob","claims":{"a":1}}}}""";

        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, ApiGatewayJsonContext.Default.WebSocketProxyEvent));
    }

    [Fact]
    public void MessageEventHasBodyAndMessageIdAndNoHeaders()
    {
        var proxyEvent = Samples.Event("message.json");

        Assert.Equal(WebSocketEventType.Message, proxyEvent.RequestContext.EventType);
        Assert.Equal("""{"action":"sendmessage","data":"hi"}""", proxyEvent.Body);
        Assert.Equal("MsGiDaBcDeFgHiJ=", proxyEvent.RequestContext.MessageId);
        Assert.Equal(proxyEvent.RequestContext.RequestId, proxyEvent.RequestContext.ExtendedRequestId);
        Assert.Null(proxyEvent.Headers);
    }

    [Fact]
    public void DisconnectEventCarriesTheCloseCodeAndReason()
    {
        var context = Samples.Event("disconnect.json").RequestContext;

        Assert.Equal(1001, context.DisconnectStatusCode);
        Assert.Equal("", context.DisconnectReason);
        Assert.Equal("$disconnect", context.RouteKey);
    }

    [Fact]
    public void Event2019WithNullIdentityFieldsAndEmptyAuthorizerStillParses()
    {
        var proxyEvent = Samples.Event("message-2019.json");
        var context = proxyEvent.RequestContext;

        Assert.Equal("c4Mky6I-IAMCKyw=", context.ConnectionId);
        Assert.Equal("sendmessage", context.RouteKey);
        Assert.Equal("198.51.100.7", context.Identity!.SourceIp);
        Assert.Null(context.Identity.UserAgent);
        Assert.Null(context.Identity.UserArn);
        Assert.Null(context.Authorizer);
        Assert.Equal("", context.Error);
        Assert.Equal("", context.IntegrationLatency);
        Assert.Equal("""{"action":"sendmessage","data":"hello"}""", proxyEvent.Body);
    }

    [Fact]
    public void AbsentKeysStayAbsentWhenWritten()
    {
        var written = JsonNode.Parse(JsonSerializer.Serialize(new WebSocketProxyEvent
        {
            Body = "hi",
            RequestContext = new WebSocketRequestContext { ConnectionId = "x=", EventType = WebSocketEventType.Message },
        }, ApiGatewayJsonContext.Default.WebSocketProxyEvent))!.AsObject();

        Assert.Equal(["requestContext", "body", "isBase64Encoded"], written.Select(p => p.Key));
        Assert.DoesNotContain("authorizer", written["requestContext"]!.AsObject().Select(p => p.Key));
        Assert.DoesNotContain("messageId", written["requestContext"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public void ProxyResponseWritesOnlyWhatIsSet()
    {
        var json = JsonSerializer.Serialize(
            new ProxyResponse { StatusCode = 200, Headers = new Dictionary<string, string> { ["Sec-WebSocket-Protocol"] = "realtime.v1" } },
            ApiGatewayJsonContext.Default.ProxyResponse);

        Assert.Equal("""{"statusCode":200,"headers":{"Sec-WebSocket-Protocol":"realtime.v1"}}""", json);
    }
}
