namespace Realtime.Router.FanOut;

/// <summary>How fan-out reads its audience, paces its posts and splits an audience too large for one invocation.</summary>
public sealed record FanOutOptions
{
    /// <summary>The most posts in flight at once in one process, however far the adaptive limit grows.</summary>
    public int MaxConcurrency { get; init; } = 128;

    /// <summary>The adaptive limit's start: @connections answers in tens of milliseconds, so 32 make ~1,000 posts a second.</summary>
    public int InitialConcurrency { get; init; } = 32;

    /// <summary>The adaptive limit's floor under throttling.</summary>
    public int MinConcurrency { get; init; } = 1;

    /// <summary>Halve the limit at most this often: the 429s of one burst arrive together and count once.</summary>
    public TimeSpan DecreaseInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Posts per second this process may make, its share of the deployment's fan-out budget; 0 for no cap.</summary>
    public double RatePerSecond { get; init; }

    /// <summary>
    /// Connections read from the registry per page; memory holds at most two pages whatever the audience. Half a
    /// shard: a Query is charged by the size it reads, so larger pages cost no more and make fewer requests.
    /// </summary>
    public int PageSize { get; init; } = 500;

    /// <summary>Gone connections removed from the registry at once, in the background, off the delivery path.</summary>
    public int RemoveConcurrency { get; init; } = 4;

    /// <summary>
    /// The largest audience one invocation serves itself. A larger one is split into shards for the queue: one extra
    /// hop, which a wishlist with three watchers never pays.
    /// </summary>
    public int DirectAudience { get; init; } = 500;

    /// <summary>Connections per shard: at ~1,000 posts a second an invocation finishes one in about a second.</summary>
    public int ShardSize { get; init; } = 1000;

    /// <summary>Shards made per split; the rest of the audience goes on as one more open range, split in turn.</summary>
    public int SplitWidth { get; init; } = 10;

    /// <summary>Progress is saved at most this often while a shard is posted: what a killed invocation may repeat.</summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Before the invocation's deadline, stop starting posts this long ahead, so the ones in flight can finish and
    /// the rest be handed on; about one attempt's timeout.
    /// </summary>
    public TimeSpan DrainTime { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when a value is out of range.</summary>
    public FanOutOptions Validated()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrency, 1, nameof(MaxConcurrency));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxConcurrency, 1024, nameof(MaxConcurrency));
        ArgumentOutOfRangeException.ThrowIfLessThan(MinConcurrency, 1, nameof(MinConcurrency));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MinConcurrency, MaxConcurrency, nameof(MinConcurrency));
        ArgumentOutOfRangeException.ThrowIfLessThan(InitialConcurrency, 1, nameof(InitialConcurrency));
        ArgumentOutOfRangeException.ThrowIfLessThan(DecreaseInterval, TimeSpan.Zero, nameof(DecreaseInterval));
        ArgumentOutOfRangeException.ThrowIfNegative(RatePerSecond, nameof(RatePerSecond));
        ArgumentOutOfRangeException.ThrowIfLessThan(PageSize, 1, nameof(PageSize));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(PageSize, 1000, nameof(PageSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(RemoveConcurrency, 1, nameof(RemoveConcurrency));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(RemoveConcurrency, 64, nameof(RemoveConcurrency));
        ArgumentOutOfRangeException.ThrowIfLessThan(DirectAudience, 1, nameof(DirectAudience));
        ArgumentOutOfRangeException.ThrowIfLessThan(ShardSize, 1, nameof(ShardSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(SplitWidth, 1, nameof(SplitWidth));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(SplitWidth, 1000, nameof(SplitWidth));
        ArgumentOutOfRangeException.ThrowIfLessThan(CheckpointInterval, TimeSpan.Zero, nameof(CheckpointInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(DrainTime, TimeSpan.Zero, nameof(DrainTime));
        return this;
    }
}
