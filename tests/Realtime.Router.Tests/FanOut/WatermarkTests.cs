using Realtime.Router.FanOut;

namespace Realtime.Router.Tests.FanOut;

/// <summary>What a checkpoint records while posts finish out of order: the last post begun with what is still pending.</summary>
public sealed class WatermarkTests
{
    [Fact]
    public void Posts_finishing_out_of_order_stay_pending_until_each_one_ends()
    {
        var mark = new Watermark("a");
        var b = mark.Start("b");
        var c = mark.Start("c");
        var d = mark.Start("d");

        mark.Finish(c);
        Assert.Equal(["b", "d"], mark.Snapshot().Pending);
        mark.Finish(b);
        Assert.Equal(["d"], mark.Snapshot().Pending);
        mark.Finish(d);
        Assert.Empty(mark.Snapshot().Pending);
        Assert.Equal("d", mark.Snapshot().Cursor);
    }

    [Fact]
    public void Before_any_post_begins_the_snapshot_is_the_start()
    {
        Assert.Null(new Watermark(null).Snapshot().Cursor);
        var mark = new Watermark("a");
        Assert.Equal("a", mark.Snapshot().Cursor);
        mark.Start("b");
        Assert.Equal("b", mark.Snapshot().Cursor);
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
