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
    public async Task Unlimited_never_waits()
    {
        for (var i = 0; i < 10_000; i++) await RateBudget.Unlimited.TakeAsync(CancellationToken.None).DefaultTimeout();
    }
}
