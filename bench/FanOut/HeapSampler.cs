namespace Realtime.Bench.FanOut;

/// <summary>Samples the managed heap every 5 ms and keeps the largest growth over the baseline.</summary>
internal sealed class HeapSampler : IDisposable
{
    private readonly long _baseline;
    private readonly Timer _timer;
    private long _peak;

    public HeapSampler(long baseline)
    {
        _baseline = baseline;
        _peak = baseline;
        _timer = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(5));
    }

    public long PeakGrowth
    {
        get
        {
            Sample();
            return Interlocked.Read(ref _peak) - _baseline;
        }
    }

    public void Dispose() => _timer.Dispose();

    private void Sample()
    {
        var now = GC.GetTotalMemory(false);
        var peak = Interlocked.Read(ref _peak);
        while (now > peak)
        {
            var seen = Interlocked.CompareExchange(ref _peak, now, peak);
            if (seen == peak) return;
            peak = seen;
        }
    }
}
