using Realtime.Router.FanOut;

namespace Realtime.Router.Tests.FanOut;

/// <summary>What a checkpoint may record while posts finish out of order: the end of the finished prefix.</summary>
public sealed class WatermarkTests
{
    [Fact]
    public void The_mark_moves_only_past_a_prefix_of_finished_posts()
    {
        var mark = new Watermark("a");
        var b = mark.Start("b");
        var c = mark.Start("c");
        var d = mark.Start("d");

        mark.Finish(c);
        Assert.Equal("a", mark.Current);
        mark.Finish(b);
        Assert.Equal("c", mark.Current);
        mark.Finish(d);
        Assert.Equal("d", mark.Current);
    }

    [Fact]
    public void Without_a_start_nothing_is_marked_until_the_first_post_finishes()
    {
        var mark = new Watermark(null);
        var first = mark.Start("a");

        Assert.Null(mark.Current);
        mark.Finish(first);
        Assert.Equal("a", mark.Current);
    }
}
