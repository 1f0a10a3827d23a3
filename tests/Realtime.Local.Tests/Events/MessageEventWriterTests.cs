using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Realtime.Connect.Contract;
using Realtime.Local.Connections;
using Realtime.Local.Events;

namespace Realtime.Local.Tests.Events;

/// <summary>The hot-path MESSAGE writer emits the same event as the contract types do.</summary>
public sealed class MessageEventWriterTests
{
    private static readonly RequestClock Clock = new(new FakeTimeProvider(DateTimeOffset.Parse("2024-01-20T11:55:00Z")));

    private static void AssertSameEvent(ConnectionDetails connection, string body)
    {
        var factory = new EventFactory("local", "abcde12345", "us-east-1", "000000000000", Clock);
        var writer = new MessageEventWriter("local", "abcde12345", Clock);
        var epoch = Clock.NowMilliseconds();

        using var expected = EventJson.Serialize(factory.Message(connection, "ping", body, "ReQiDaBcDeFgHiJ=", "MsGiDaBcDeFgHiJ=", epoch));
        using var actual = writer.Write(connection, MessageEventWriter.Fragments(connection), "ping", body, "ReQiDaBcDeFgHiJ=", "MsGiDaBcDeFgHiJ=", epoch);

        var expectedNode = JsonNode.Parse(Encoding.UTF8.GetString(expected.WrittenSpan));
        var actualNode = JsonNode.Parse(Encoding.UTF8.GetString(actual.WrittenSpan));
        Assert.True(JsonNode.DeepEquals(expectedNode, actualNode), $"expected {expectedNode!.ToJsonString()}\nactual   {actualNode!.ToJsonString()}");
    }

    [Fact]
    public void Without_an_authorizer() =>
        AssertSameEvent(
            new ConnectionDetails("QrStUvWxYzAbCdE=", 1705751697419, "127.0.0.1:4000", new RequestIdentity { SourceIp = "127.0.0.1" }, null),
            """{"action":"ping","id":"1"}""");

    [Fact]
    public void With_a_user_agent_and_an_authorizer_context() =>
        AssertSameEvent(
            new ConnectionDetails("QrStUvWxYzAbCdE=", 1705751697419, "example.com", new RequestIdentity { SourceIp = "10.0.0.1", UserAgent = "agent \"quoted\"" },
                new AuthorizerContext { PrincipalId = "user-1", Values = new Dictionary<string, string?> { ["userId"] = "u1", ["count"] = "3", ["nothing"] = null } }),
            "héllo <not json> \"quoted\" \u0001 control");
}
