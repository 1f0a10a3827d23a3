namespace Realtime.Router.FanOut;

/// <summary>How fan-out reads its audience and how many posts it keeps in flight.</summary>
public sealed record FanOutOptions
{
    /// <summary>
    /// Posts in flight at once. @connections answers in milliseconds, so a few dozen keep a Lambda busy without
    /// tripping its throttle (10,000 requests per second per account by default).
    /// </summary>
    public int MaxConcurrency { get; init; } = 32;

    /// <summary>Connections read from the registry per page; memory holds at most two pages whatever the audience.</summary>
    public int PageSize { get; init; } = 100;

    /// <summary>Gone connections removed from the registry at once, in the background, off the delivery path.</summary>
    public int RemoveConcurrency { get; init; } = 4;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when a value is out of range.</summary>
    public FanOutOptions Validated()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrency, 1, nameof(MaxConcurrency));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxConcurrency, 1024, nameof(MaxConcurrency));
        ArgumentOutOfRangeException.ThrowIfLessThan(PageSize, 1, nameof(PageSize));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(PageSize, 1000, nameof(PageSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(RemoveConcurrency, 1, nameof(RemoveConcurrency));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(RemoveConcurrency, 64, nameof(RemoveConcurrency));
        return this;
    }
}
