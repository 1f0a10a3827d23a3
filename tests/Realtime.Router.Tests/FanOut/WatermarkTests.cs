using Realtime.Router.FanOut;

namespace Realtime.Router.Tests.FanOut;

/// <summary>What a checkpoint may record while posts finish out of order: the finished prefix, or the last post begun with what is still pending.</summary>
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

    [Fact]
    public void A_snapshot_is_the_last_post_begun_with_the_unfinished_ones_before_it()
    {
        var mark = new Watermark("a");
        var leftOver = mark.Aside("0");
        var b = mark.Start("b");
        var c = mark.Start("c");
        mark.Start("d");

        mark.Finish(c);
        var (cursor, pending) = mark.Snapshot();
        Assert.Equal("d", cursor);
        Assert.Equal(["0", "b", "d"], pending);
        mark.Finish(leftOver);
        mark.Finish(b);
        (cursor, pending) = mark.Snapshot();
        Assert.Equal("d", cursor);
        Assert.Equal(["d"], pending);
    }
}
