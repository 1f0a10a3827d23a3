using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Realtime.Router.Functions;
using Realtime.Router.Tests.Routes;
using Realtime.Testing;

namespace Realtime.Router.Tests.Publishing;

public sealed class PublishFunctionTests : IDisposable
{
    private readonly RouterHarness _router = new();

    [Fact]
    public async Task EachRecordReachesEverySubscriberOfItsTopicAndNoOneElseUnderTheRecordsId()
    {
        await JoinAsync("a=", "alice", "wishlist:42");
        await JoinAsync("b=", "bob", "wishlist:42");
        await JoinAsync("c=", "carol", "wishlist:7");

        var failures = await PublishAsync(
            ("m1", """{"topic":"wishlist:42","event":"item_added","data":{"sku":"B-1"}}"""),
            ("m2", """{"topic":"wishlist:7","event":"item_removed"}"""));

        Assert.Empty(failures);
        Assert.Equal(["""{"type":"event","topic":"wishlist:42","event":"item_added","data":{"sku":"B-1"},"messageId":"m1"}"""], _router.Connections.ReceivedBy("a="));
        Assert.Equal(["""{"type":"event","topic":"wishlist:42","event":"item_added","data":{"sku":"B-1"},"messageId":"m1"}"""], _router.Connections.ReceivedBy("b="));
        Assert.Equal(["""{"type":"event","topic":"wishlist:7","event":"item_removed","messageId":"m2"}"""], _router.Connections.ReceivedBy("c="));
    }

    [Fact]
    public async Task InvalidRecordsAreReportedAndTheRestStillPublished()
    {
        await JoinAsync("a=", "alice", "wishlist:42");

        var failures = await PublishAsync(
            ("bad-json", "{not json"),
            ("no-topic", """{"event":"item_added"}"""),
            ("bad-topic", """{"topic":"wishlist:*","event":"item_added"}"""),
            ("no-event", """{"topic":"wishlist:42"}"""),
            ("too-large", $$"""{"topic":"wishlist:42","event":"e","data":"{{new string('x', 131_072)}}"}"""),
            ("good", """{"topic":"wishlist:42","event":"item_added"}"""));

        Assert.Equal(["bad-json", "no-topic", "bad-topic", "no-event", "too-large"], failures);
        Assert.Single(_router.Connections.ReceivedBy("a="));
    }

    [Fact]
    public async Task AnInputThatIsNotAnSqsEventFailsTheInvocation()
    {
        var function = ActivatorUtilities.CreateInstance<PublishFunction>(ServicesOf(_router));

        await Assert.ThrowsAsync<JsonException>(() => function.FunctionHandler(new MemoryStream("[1]"u8.ToArray()))).DefaultTimeout();
    }

    private async Task<List<string>> PublishAsync(params (string Id, string Body)[] records)
    {
        var function = ActivatorUtilities.CreateInstance<PublishFunction>(ServicesOf(_router));
        var input = new
        {
            Records = records.Select(r => new { messageId = r.Id, body = r.Body, eventSource = "aws:sqs" }),
        };
        var output = await function.FunctionHandler(new MemoryStream(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(input)))).DefaultTimeout();
        using var response = await JsonDocument.ParseAsync(output).DefaultTimeout();
        return response.RootElement.GetProperty("batchItemFailures").EnumerateArray().Select(f => f.GetProperty("itemIdentifier").GetString()!).ToList();
    }

    private static IServiceProvider ServicesOf(RouterHarness router) => router.Services;

    private async Task JoinAsync(string connectionId, string user, string topic)
    {
        await _router.ConnectAsync(connectionId, user).DefaultTimeout();
        await _router.Registry.SubscribeAsync(connectionId, topic, CancellationToken.None).DefaultTimeout();
    }

    public void Dispose() => _router.Dispose();
}
