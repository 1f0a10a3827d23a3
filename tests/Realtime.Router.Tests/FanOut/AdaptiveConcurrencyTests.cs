using Microsoft.Extensions.Time.Testing;
using Realtime.Connect.Management;
using Realtime.Router.FanOut;
using Realtime.Testing;

namespace Realtime.Router.Tests.FanOut;

/// <summary>The posts-in-flight limit: grows by one per round of unthrottled posts, halves on a 429 once per interval.</summary>
public sealed class AdaptiveConcurrencyTests
{
    private static readonly ConnectionsResult Ok = new(ConnectionsStatus.Ok, 200, 1);
    private static readonly ConnectionsResult ThrottledOnce = new(ConnectionsStatus.Ok, 200, 2, Throttles: 1);

    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public async Task Each_round_of_unthrottled_posts_adds_one_slot_up_to_the_maximum()
    {
        var limiter = Limiter(initial: 4, max: 6);

        // Each post adds 1/limit: a round of "limit" posts adds about one slot.
        await RoundAsync(limiter, 3, Ok);
        Assert.Equal(4, limiter.Limit);
        await RoundAsync(limiter, 2, Ok);
        Assert.Equal(5, limiter.Limit);
        await RoundAsync(limiter, 6, Ok);
        Assert.Equal(6, limiter.Limit);
        await RoundAsync(limiter, 50, Ok);
        Assert.Equal(6, limiter.Limit);
    }

    [Fact]
    public async Task A_burst_of_429s_halves_the_limit_once_and_another_burst_later_halves_it_again()
    {
        var limiter = Limiter(initial: 64, max: 128);

        await RoundAsync(limiter, 20, ThrottledOnce);
        Assert.Equal(32, limiter.Limit);
        _clock.Advance(TimeSpan.FromMilliseconds(199));
        await RoundAsync(limiter, 5, ThrottledOnce);
        Assert.Equal(32, limiter.Limit);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        await RoundAsync(limiter, 1, ThrottledOnce);
        Assert.Equal(16, limiter.Limit);
        Assert.Equal(26, limiter.Throttles);
    }

    [Fact]
    public async Task Throttling_never_takes_the_limit_below_its_floor()
    {
        var limiter = Limiter(initial: 8, max: 8, min: 2);

        for (var i = 0; i < 10; i++)
        {
            await RoundAsync(limiter, 1, ThrottledOnce);
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(2, limiter.Limit);
    }

    [Fact]
    public async Task A_post_waits_for_a_slot_and_gets_the_one_given_back()
    {
        var limiter = Limiter(initial: 2, max: 2);
        await limiter.WaitAsync(CancellationToken.None).DefaultTimeout();
        await limiter.WaitAsync(CancellationToken.None).DefaultTimeout();

        var third = limiter.WaitAsync(CancellationToken.None).AsTask();
        Assert.False(third.IsCompleted);
        limiter.Release(Ok);

        await third.DefaultTimeout();
        Assert.Equal(2, limiter.InFlight);
    }

    [Fact]
    public async Task A_wait_given_up_does_not_keep_a_slot()
    {
        var limiter = Limiter(initial: 1, max: 1);
        await limiter.WaitAsync(CancellationToken.None).DefaultTimeout();
        using var giveUp = new CancellationTokenSource();

        var abandoned = limiter.WaitAsync(giveUp.Token).AsTask();
        var next = limiter.WaitAsync(CancellationToken.None).AsTask();
        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned.DefaultTimeout());
        limiter.Release(Ok);

        await next.DefaultTimeout();
        Assert.Equal(1, limiter.InFlight);
    }

    [Fact]
    public async Task A_halved_limit_lets_no_new_post_start_until_enough_slots_are_back()
    {
        var limiter = Limiter(initial: 4, max: 4);
        for (var i = 0; i < 4; i++) await limiter.WaitAsync(CancellationToken.None).DefaultTimeout();
        var waiting = limiter.WaitAsync(CancellationToken.None).AsTask();

        limiter.Release(ThrottledOnce); // 4 -> 2, with 3 still in flight
        limiter.Release(Ok);            // 2 in flight: none free yet
        Assert.False(waiting.IsCompleted);
        limiter.Release(Ok);            // 1 in flight: one free

        await waiting.DefaultTimeout();
        Assert.Equal(2, limiter.InFlight);
    }

    private AdaptiveConcurrency Limiter(int initial, int max, int min = 1) =>
        new(new FanOutOptions { InitialConcurrency = initial, MaxConcurrency = max, MinConcurrency = min, DecreaseInterval = TimeSpan.FromMilliseconds(200) }, _clock);

    private static async Task RoundAsync(AdaptiveConcurrency limiter, int posts, ConnectionsResult result)
    {
        for (var i = 0; i < posts; i++)
        {
            await limiter.WaitAsync(CancellationToken.None).DefaultTimeout();
            limiter.Release(result);
        }
    }
}
