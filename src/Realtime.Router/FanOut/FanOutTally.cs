using Realtime.Connect.Management;

namespace Realtime.Router.FanOut;

/// <summary>The running counts of one fan-out, updated from concurrent posts.</summary>
internal sealed class FanOutTally
{
    private int _delivered;
    private int _gone;
    private int _failed;
    private int _retried;

    public void Count(ConnectionsResult result)
    {
        switch (result.Status)
        {
            case ConnectionsStatus.Ok: Interlocked.Increment(ref _delivered); break;
            case ConnectionsStatus.Gone: Interlocked.Increment(ref _gone); break;
            default: Interlocked.Increment(ref _failed); break;
        }
        if (result.Attempts > 1) Interlocked.Add(ref _retried, result.Attempts - 1);
    }

    /// <summary>A post that ended throttled or failing and is made again: all its attempts were retries.</summary>
    public void CountRepost(ConnectionsResult result) => Interlocked.Add(ref _retried, result.Attempts);

    public FanOutReport ToReport() => new(Volatile.Read(ref _delivered), Volatile.Read(ref _gone), Volatile.Read(ref _failed), Volatile.Read(ref _retried));
}
