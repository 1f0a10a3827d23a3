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
            if (user != "carol") await _router.SendAsync(id, user, """{"action":"subscribe","topic":"room:lobby"}""").DefaultTimeout();
        }

        await _router.SendAsync("c1=", "carol", """{"action":"who","topic":"room:lobby","id":"5"}""").DefaultTimeout();

        Assert.Equal("""{"type":"who","id":"5","topic":"room:lobby","users":["alice","bob"],"anonymous":0}""", Assert.Single(_router.Connections.ReceivedBy("c1=")));
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
