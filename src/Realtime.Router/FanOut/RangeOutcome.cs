namespace Realtime.Router.FanOut;

/// <summary>
/// What posting one range did: the counts, whether the whole range was posted, and where a hand-off goes on from:
/// after <see cref="Cursor"/>, with the <see cref="Pending"/> connections before it that still need their post.
/// </summary>
public sealed record RangeOutcome(FanOutReport Report, bool Finished, string? Cursor, IReadOnlyList<string> Pending);
