namespace Realtime.Bench.LocalGateway.Driver;

/// <summary>Everything that went wrong over the whole run (warm-up included), by kind.</summary>
internal sealed class ErrorCounts
{
    private long _connect;
    private long _timeout;
    private long _unexpected;
    private long _closed;

    public long Connect => Interlocked.Read(ref _connect);

    /// <summary>A connection waited longer than the timeout for an answer, and was dropped.</summary>
    public long Timeout => Interlocked.Read(ref _timeout);

    /// <summary>A message that answers no ping in flight, or is not an answer at all.</summary>
    public long Unexpected => Interlocked.Read(ref _unexpected);

    /// <summary>The server closed or broke the connection.</summary>
    public long Closed => Interlocked.Read(ref _closed);

    public long Total => Connect + Timeout + Unexpected + Closed;

    public void AddConnect() => Interlocked.Increment(ref _connect);

    public void AddTimeout() => Interlocked.Increment(ref _timeout);

    public void AddUnexpected(ReadOnlySpan<byte> message)
    {
        // The first few are shown as they came: they usually say what the server objects to.
        if (Interlocked.Increment(ref _unexpected) <= 3)
        {
            var text = System.Text.Encoding.UTF8.GetString(message[..Math.Min(message.Length, 300)]);
            Console.Error.WriteLine($"unexpected message: {text}");
        }
    }

    public void AddClosed() => Interlocked.Increment(ref _closed);

    public override string ToString() =>
        $"{Total} (connect {Connect}, timeout {Timeout}, unexpected {Unexpected}, closed {Closed})";
}
