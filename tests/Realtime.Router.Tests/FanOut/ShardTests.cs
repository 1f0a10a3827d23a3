using System.Text;
using Realtime.Connect.Registry;
using Realtime.Router.FanOut;

namespace Realtime.Router.Tests.FanOut;

/// <summary>A shard on the queue: its range and the frame it carries survive the trip; anything else is refused with a reason.</summary>
public sealed class ShardTests
{
    [Fact]
    public void A_shard_round_trips_through_its_queue_message_with_its_frame_byte_for_byte()
    {
        var frame = """{"type":"message","topic":"room:lobby","from":"alice","data":{"text":"hé \"quoted\""},"messageId":"m1","sentAt":1}""";
        var shard = new Shard(new DeliveryRange("m1", "AbC=", "XyZ="), "room:lobby", Encoding.UTF8.GetBytes(frame));

        Assert.True(Shard.TryRead(shard.ToBody(), out var read, out var error), error);

        Assert.Equal(shard.Range, read.Range);
        Assert.Equal("room:lobby", read.Topic);
        Assert.Equal(frame, Encoding.UTF8.GetString(read.Payload.Span));
    }

    [Fact]
    public void An_open_shard_from_the_start_has_no_bounds()
    {
        var shard = Shard.Whole(new Delivery("m2", "wishlist:1", "{}"u8.ToArray()));

        Assert.True(Shard.TryRead(shard.ToBody(), out var read, out _));

        Assert.True(read.Range.IsOpen);
        Assert.Null(read.Range.After);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("not json", "not JSON")]
    [InlineData("""{"topic":"t","payload":{}}""", "messageId")]
    [InlineData("""{"messageId":"m","topic":"t","payload":"text"}""", "payload")]
    [InlineData("""{"topic":"wishlist:1","event":"e"}""", "messageId")]
    public void Anything_but_a_shard_is_refused_with_a_reason(string body, string named)
    {
        Assert.False(Shard.TryRead(body, out _, out var error));
        Assert.Contains(named, error);
    }

    [Fact]
    public void A_split_makes_consecutive_shards_and_the_open_rest_last()
    {
        var open = new DeliveryRange("m", "a", null);

        var shards = new DeliverySplit(["f", "k"], More: true).Shards(open).ToList();

        Assert.Equal([new("m", "a", "f"), new("m", "f", "k"), new DeliveryRange("m", "k", null)], shards);
    }
}
