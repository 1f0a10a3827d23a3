namespace Realtime.Bench.FanOutScale.Simulation;

/// <summary>
/// The server's answers counted over its lifetime (or since <see cref="ReceivedDeliveries.Reset"/>); subtract two
/// snapshots for one run's share when several runs share the server.
/// </summary>
/// <param name="Requests">Every request to the @connections path, whatever its answer.</param>
/// <param name="Throttled">Answered 429 <c>LimitExceededException</c>.</param>
/// <param name="ServerErrors">Answered 500 <c>InternalServerErrorException</c>, not delivered.</param>
/// <param name="Stalls">Delivered, then the answer held (the client may have given up and retried).</param>
/// <param name="GoneAnswers">Answered 410 <c>GoneException</c>.</param>
/// <param name="Deliveries">Posts that delivered their message, repeats included.</param>
public sealed record ConnectionsCounters(long Requests, long Throttled, long ServerErrors, long Stalls, long GoneAnswers, long Deliveries)
{
    public static ConnectionsCounters operator -(ConnectionsCounters later, ConnectionsCounters earlier) => new(
        later.Requests - earlier.Requests, later.Throttled - earlier.Throttled, later.ServerErrors - earlier.ServerErrors,
        later.Stalls - earlier.Stalls, later.GoneAnswers - earlier.GoneAnswers, later.Deliveries - earlier.Deliveries);
}
