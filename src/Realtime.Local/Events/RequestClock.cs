using System.Globalization;

namespace Realtime.Local.Events;

/// <summary>
/// The gateway's clock for events: epoch milliseconds and <c>requestTime</c> in Common Log Format, always UTC
/// (<c>20/Jan/2024:11:54:57 +0000</c>). The formatted second is cached, since many events share it.
/// </summary>
public sealed class RequestClock(TimeProvider time)
{
    private sealed record Formatted(long Second, string Text);

    private Formatted _last = new(long.MinValue, "");

    public TimeProvider TimeProvider => time;

    public long NowMilliseconds() => time.GetUtcNow().ToUnixTimeMilliseconds();

    public string Format(long epochMilliseconds)
    {
        var second = Math.DivRem(epochMilliseconds, 1000, out var remainder) - (remainder < 0 ? 1 : 0);
        var last = Volatile.Read(ref _last);
        if (last.Second == second) return last.Text;
        var text = DateTimeOffset.FromUnixTimeSeconds(second).UtcDateTime.ToString("dd/MMM/yyyy:HH:mm:ss +0000", CultureInfo.InvariantCulture);
        Volatile.Write(ref _last, new Formatted(second, text));
        return text;
    }

    public static string Iso8601(long epochMilliseconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds(epochMilliseconds).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
