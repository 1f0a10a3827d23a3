using System.Net;
using System.Text.Json;

namespace Realtime.Local.Tests.EndToEnd;

/// <summary>
/// The gateway's users end to end: browsers watching wishlists and chatting in rooms, through the local host, the
/// project's functions and the DynamoDB registry on DynamoDB Local.
/// </summary>
public sealed class WishlistAndChatTests(RealtimeHostFixture host) : IClassFixture<RealtimeHostFixture>
{
    [Fact]
    public async Task APublishedWishlistEventReachesEverySubscriberAndNoOneElse()
    {
        await using var alice = new Client(await host.ConnectAsync("alice-w"), "alice-w");
        await using var bob = new Client(await host.ConnectAsync("bob-w"), "bob-w");
        await using var carol = new Client(await host.ConnectAsync("carol-w"), "carol-w");
        await alice.SubscribeAsync("wishlist:42");
        await bob.SubscribeAsync("wishlist:42");
        await carol.SubscribeAsync("wishlist:7");

        using var response = await host.PublishAsync("""{"topic":"wishlist:42","event":"item_added","data":{"sku":"B-1","name":"Tea"}}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var messageId = answer.RootElement.GetProperty("messageId").GetString();
        Assert.Equal($$"""{"messageId":"{{messageId}}","delivered":2,"gone":0,"failed":0}""", answer.RootElement.GetRawText());
        foreach (var subscriber in new[] { alice, bob })
        {
            var received = await subscriber.ReceiveAsync();
            Assert.Equal($$"""{"type":"event","topic":"wishlist:42","event":"item_added","data":{"sku":"B-1","name":"Tea"},"messageId":"{{messageId}}"}""", received.GetRawText());
            await subscriber.AssertNothingPendingAsync();
        }
        await carol.AssertNothingPendingAsync();
    }

    [Fact]
    public async Task TwoUsersChatAndEachSeesEveryMessageOnceInOrderPerSender()
    {
        const string room = "room:e2e-chat";
        await using var alice = new Client(await host.ConnectAsync("alice-c"), "alice-c");
        await using var bob = new Client(await host.ConnectAsync("bob-c"), "bob-c");
        await alice.SubscribeAsync(room);
        await bob.SubscribeAsync(room);

        // Each sender waits for its ack before the next message, as docs/protocol.md tells clients that need order.
        var sent = new List<(string From, int N)>();
        var seenByAlice = new List<JsonElement>();
        var seenByBob = new List<JsonElement>();
        for (var n = 0; n < 4; n++)
        {
            foreach (var (sender, other, seenBySender, seenByOther) in new[] { (alice, bob, seenByAlice, seenByBob), (bob, alice, seenByBob, seenByAlice) })
            {
                var (ack, before) = await sender.AnswerToAsync(await sender.RequestAsync("send", room, new { text = $"{sender.User} {n}", n }));
                Assert.Equal("ack", ack.GetProperty("type").GetString());
                seenBySender.AddRange(before);
                seenByOther.Add(await other.ReceiveAsync());
                sent.Add((sender.User, n));
            }
        }
        await alice.AssertNothingPendingAsync();
        await bob.AssertNothingPendingAsync();

        foreach (var seen in new[] { seenByAlice, seenByBob })
        {
            Assert.All(seen, m => Assert.Equal("message", m.GetProperty("type").GetString()));
            Assert.Equal(sent.Count, seen.Select(m => m.GetProperty("messageId").GetString()).Distinct().Count());
            foreach (var user in new[] { "alice-c", "bob-c" })
            {
                Assert.Equal([0, 1, 2, 3], seen.Where(m => m.GetProperty("from").GetString() == user).Select(m => m.GetProperty("data").GetProperty("n").GetInt32()));
            }
        }
    }

    [Fact]
    public async Task WhoListsExactlyTheConnectedMembers()
    {
        const string room = "room:e2e-who";
        await using var alice = new Client(await host.ConnectAsync("alice-h"), "alice-h");
        await using var bob = new Client(await host.ConnectAsync("bob-h"), "bob-h");
        await using var carol = new Client(await host.ConnectAsync("carol-h"), "carol-h");
        await alice.SubscribeAsync(room);
        await bob.SubscribeAsync(room);

        // Only a member may ask who is in the room.
        var (refused, _) = await carol.AnswerToAsync(await carol.RequestAsync("who", room));
        Assert.Equal("forbidden", refused.GetProperty("code").GetString());
        await carol.SubscribeAsync(room);

        var (who, _) = await carol.AnswerToAsync(await carol.RequestAsync("who", room));
        Assert.Equal(["alice-h", "bob-h", "carol-h"], who.GetProperty("users").EnumerateArray().Select(u => u.GetString()));

        await bob.DisposeAsync();
        // $disconnect runs after the close; ask until it has been handled (bounded by the test timeout).
        var deadline = DateTime.UtcNow.AddSeconds(20);
        List<string?> users;
        do
        {
            (who, _) = await carol.AnswerToAsync(await carol.RequestAsync("who", room));
            users = who.GetProperty("users").EnumerateArray().Select(u => u.GetString()).ToList();
        }
        while (users.Count != 2 && DateTime.UtcNow < deadline);
        Assert.Equal(["alice-h", "carol-h"], users);
    }

    [Fact]
    public async Task AUserCannotSubscribeToAnotherUsersTopicNorSendWherePolicyForbids()
    {
        await using var mallory = new Client(await host.ConnectAsync("mallory"), "mallory");
        await using var alice = new Client(await host.ConnectAsync("alice-p"), "alice-p");
        await alice.SubscribeAsync("user:alice-p");
        await alice.SubscribeAsync("wishlist:9");

        var (refused, _) = await mallory.AnswerToAsync(await mallory.RequestAsync("subscribe", "user:alice-p"));
        var (forbiddenSend, _) = await mallory.AnswerToAsync(await mallory.RequestAsync("send", "wishlist:9", new { fake = "item_added" }));

        Assert.Equal("forbidden", refused.GetProperty("code").GetString());
        Assert.Equal("forbidden", forbiddenSend.GetProperty("code").GetString());
        await alice.AssertNothingPendingAsync();
    }

    [Fact]
    public async Task PublishWithoutTheKeyOrWithABadBodyIsRefusedAndDeliversNothing()
    {
        await using var alice = new Client(await host.ConnectAsync("alice-k"), "alice-k");
        await alice.SubscribeAsync("wishlist:99");

        using var noKey = await host.PublishAsync("""{"topic":"wishlist:99","event":"item_added"}""", key: null);
        using var wrongKey = await host.PublishAsync("""{"topic":"wishlist:99","event":"item_added"}""", key: "guess");
        using var badTopic = await host.PublishAsync("""{"topic":"wishlist:*","event":"item_added"}""");
        using var notJson = await host.PublishAsync("""{"topic":""");

        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badTopic.StatusCode);
        Assert.Contains("topic", await badTopic.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        await alice.AssertNothingPendingAsync();
    }
}
