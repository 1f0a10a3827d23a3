namespace Realtime.Router.FanOut;

/// <summary>
/// How a message set out to its audience: delivered here (<see cref="Report"/> says how it went), or split into
/// <see cref="Shards"/> shards on the queue, which deliver it from other invocations.
/// </summary>
public sealed record FanOutResult(FanOutReport? Report, int Shards)
{
    public bool IsQueued => Report is null;

    public static FanOutResult Delivered(FanOutReport report) => new(report, 0);

    public static FanOutResult Queued(int shards) => new(null, shards);
}
