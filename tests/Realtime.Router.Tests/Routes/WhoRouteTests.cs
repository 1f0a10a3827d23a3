using Realtime.Testing;

namespace Realtime.Router.Tests.Routes;

public sealed class WhoRouteTests : IDisposable
{
    private readonly RouterHarness _router = new();

    [Fact]
    public async Task ListsTheDistinctUsersInTheRoomSorted()
    {
        foreach (var (id, user) in new[] { ("b1=", "bob"), ("a1=", "alice"), ("a2=", "alice"), ("c1=", "carol") })
        {
            await _router.ConnectAsync(id, user).DefaultTimeout();
            await _router.Registry.SubscribeAsync(id, "room:lobby", CancellationToken.None).DefaultTimeout();
        }

        await _router.SendAsync("c1=", "carol", """{"action":"who","topic":"room:lobby","id":"5"}""").DefaultTimeout();

        Assert.Equal("""{"type":"who","id":"5","topic":"room:lobby","users":["alice","bob","carol"],"anonymous":0}""", Assert.Single(_router.Connections.ReceivedBy("c1=")));
    }

    [Fact]
    public async Task IsForbiddenToAConnectionNotInTheRoom()
    {
        await _router.ConnectAsync("a=", "alice").DefaultTimeout();
        await _router.Registry.SubscribeAsync("a=", "room:lobby", CancellationToken.None).DefaultTimeout();
        await _router.ConnectAsync("b=", "bob").DefaultTimeout();

        await _router.SendAsync("b=", "bob", """{"action":"who","topic":"room:lobby"}""").DefaultTimeout();

        var answer = _router.Connections.Single("b=");
        Assert.Equal("forbidden", answer.GetProperty("code").GetString());
        Assert.DoesNotContain("alice", answer.GetRawText());
    }

    [Fact]
    public async Task IsForbiddenOnAWishlistEvenToItsWatchers()
    {
        foreach (var (id, user) in new[] { ("a=", "alice"), ("b=", "bob") })
        {
            await _router.ConnectAsync(id, user).DefaultTimeout();
            await _router.Registry.SubscribeAsync(id, "wishlist:42", CancellationToken.None).DefaultTimeout();
        }

        await _router.SendAsync("b=", "bob", """{"action":"who","topic":"wishlist:42"}""").DefaultTimeout();

        var answer = _router.Connections.Single("b=");
        Assert.Equal("forbidden", answer.GetProperty("code").GetString());
        Assert.DoesNotContain("alice", answer.GetRawText());
    }

    [Fact]
    public async Task ReadsEveryPageOfALargeRoom()
    {
        for (var i = 0; i < 230; i++)
        {
            await _router.ConnectAsync($"c{i:000}=", $"user{i:000}").DefaultTimeout();
            await _router.Registry.SubscribeAsync($"c{i:000}=", "room:big", CancellationToken.None).DefaultTimeout();
        }

        await _router.SendAsync("c000=", "user000", """{"action":"who","topic":"room:big"}""").DefaultTimeout();

        var users = _router.Connections.Single("c000=").GetProperty("users").EnumerateArray().Select(u => u.GetString()).ToList();
        Assert.Equal(230, users.Count);
        Assert.Equal(Enumerable.Range(0, 230).Select(i => $"user{i:000}"), users);
    }

    [Fact]
    public async Task IsForbiddenWhereSubscribingIs()
    {
        await _router.ConnectAsync("a=", "alice").DefaultTimeout();

        await _router.SendAsync("a=", "alice", """{"action":"who","topic":"user:bob"}""").DefaultTimeout();

        Assert.Equal("forbidden", _router.Connections.Single("a=").GetProperty("code").GetString());
    }

    public void Dispose() => _router.Dispose();
}
