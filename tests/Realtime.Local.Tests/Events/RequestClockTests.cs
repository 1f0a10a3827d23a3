using Realtime.Local.Events;

namespace Realtime.Local.Tests.Events;

/// <summary><c>requestTime</c> is Common Log Format in UTC with English month names, as in captured events.</summary>
public sealed class RequestClockTests
{
    [Theory]
    [InlineData(1705751697419, "20/Jan/2024:11:54:57 +0000")]
    [InlineData(1560085981936, "09/Jun/2019:13:13:01 +0000")]
    [InlineData(1735689599999, "31/Dec/2024:23:59:59 +0000")]
    public void RequestTimeIsTheCapturedFormatInUtc(long epochMilliseconds, string expected) =>
        Assert.Equal(expected, new RequestClock(TimeProvider.System).Format(epochMilliseconds));

    [Fact]
    public void ConnectedAtForGetConnectionIsIso8601InUtc() =>
        Assert.Equal("2024-01-20T11:54:57.419Z", RequestClock.Iso8601(1705751697419));
}
