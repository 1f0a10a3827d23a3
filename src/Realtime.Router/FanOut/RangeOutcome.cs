namespace Realtime.Router.FanOut;

/// <summary>
/// What posting one range did: the counts, whether the whole range was posted, and the connection up to which every
/// post has finished (where a hand-off goes on from).
/// </summary>
public sealed record RangeOutcome(FanOutReport Report, bool Finished, string? Cursor);
