using Microsoft.Extensions.Time.Testing;
using Realtime.Router.FanOut;
using Realtime.Testing;

namespace Realtime.Router.Tests.FanOut;

/// <summary>A process's share of the deployment's fan-out rate: a tenth of a second's burst, then the steady pace.</summary>
public sealed class RateBudgetTests
{
    [Fact]
    public async Task A_burst_of_a_tenth_of_a_second_passes_then_each_post_waits_its_turn()
    {
        var clock = new FakeTimeProvider();
        var budget = new RateBudget(100, clock);

        for (var i = 0; i < 10; i++) await budget.TakeAsync(CancellationToken.None).DefaultTimeout();
        var eleventh = budget.TakeAsync(CancellationToken.None).AsTask();
        Assert.False(eleventh.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(9));
        Assert.False(eleventh.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1));

        await eleventh.DefaultTimeout();
    }

    [Fact]
    public async Task A_wait_shorter_than_a_timer_can_honour_is_rounded_up_and_the_time_waited_refills_the_bucket()
    {
        var clock = new FakeTimeProvider();
        var budget = new RateBudget(1000, clock); // a token a millisecond, a burst of 100
        for (var i = 0; i < 100; i++) await budget.TakeAsync(CancellationToken.None).DefaultTimeout();

        var next = budget.TakeAsync(CancellationToken.None).AsTask();
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(next.IsCompleted); // it waits at least 5 ms, not the 1 ms a token takes
        clock.Advance(TimeSpan.FromMilliseconds(4));
        await next.DefaultTimeout();

        // The 5 ms waited made 5 tokens: four more pass at once.
        for (var i = 0; i < 4; i++) Assert.True(budget.TakeAsync(CancellationToken.None).IsCompleted);
        Assert.False(budget.TakeAsync(CancellationToken.None).IsCompleted);
    }

    [Fact]
    public async Task Unlimited_never_waits()
    {
        for (var i = 0; i < 10_000; i++) await RateBudget.Unlimited.TakeAsync(CancellationToken.None).DefaultTimeout();
    }
}
