namespace Realtime.Router.FanOut;

/// <summary>
/// What one fan-out did: how many connections got the payload, how many were gone (and removed from the registry),
/// how many failed for another reason after retries, and how many extra attempts the retries cost.
/// </summary>
public sealed record FanOutReport(int Delivered, int Gone, int Failed, int Retried)
{
    public static readonly FanOutReport None = new(0, 0, 0, 0);

    public int Audience => Delivered + Gone + Failed;
}
