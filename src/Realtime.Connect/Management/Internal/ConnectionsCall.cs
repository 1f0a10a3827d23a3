namespace Realtime.Connect.Management.Internal;

/// <summary>One call through the pipeline: what to send, until when, and how many attempts it has taken.</summary>
internal sealed class ConnectionsCall(HttpMethod method, string connectionId, Uri uri, ReadOnlyMemory<byte> body, string payloadHash, DateTimeOffset deadline)
{
    public HttpMethod Method { get; } = method;
    public string ConnectionId { get; } = connectionId;
    public Uri Uri { get; } = uri;
    public ReadOnlyMemory<byte> Body { get; } = body;
    public string PayloadHash { get; } = payloadHash;

    /// <summary>No attempt runs past this instant and no retry is scheduled to start after it.</summary>
    public DateTimeOffset Deadline { get; } = deadline;

    public int Attempts { get; set; }

    /// <summary>Attempts answered 429.</summary>
    public int Throttles { get; set; }

    /// <summary>Attempts that got no answer in time: each may or may not have been delivered.</summary>
    public int Timeouts { get; set; }

    /// <summary>The backoff chosen when the retry was decided, so the decision could weigh it against the deadline.</summary>
    public TimeSpan NextDelay { get; set; }
}
