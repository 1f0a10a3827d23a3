using System.Diagnostics;

namespace Realtime.Bench.LocalGateway.Driver;

/// <summary>Warm-up, then the measured window, then done: every connection reads the phase before recording.</summary>
internal sealed class RunClock
{
    private const int WarmingUp = 0;
    private const int Measuring = 1;
    private const int Finished = 2;

    private volatile int _phase = WarmingUp;

    public long MeasureStart { get; private set; }

    public long MeasureEnd { get; private set; }

    public bool IsMeasuring => _phase == Measuring;

    public bool IsDone => _phase == Finished;

    public TimeSpan Measured => Stopwatch.GetElapsedTime(MeasureStart, MeasureEnd);

    public void StartMeasuring()
    {
        MeasureStart = Stopwatch.GetTimestamp();
        _phase = Measuring;
    }

    public void Finish()
    {
        if (_phase == Measuring)
        {
            MeasureEnd = Stopwatch.GetTimestamp();
        }
        _phase = Finished;
    }
}
