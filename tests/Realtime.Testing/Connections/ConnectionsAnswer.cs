namespace Realtime.Testing.Connections;

/// <summary>An answer <see cref="LoopbackConnectionsServer"/> gives to the next request for a connection, in place of its normal behaviour.</summary>
public abstract record ConnectionsAnswer
{
    /// <summary>Answers with <paramref name="statusCode"/>, <c>x-amzn-ErrorType</c> and an optional JSON body, changing nothing.</summary>
    public static ConnectionsAnswer Status(int statusCode, string? errorType = null, string? body = null) => new StatusAnswer(statusCode, errorType, body);

    /// <summary>410 with an empty body and <c>x-amzn-ErrorType: GoneException</c>, as API Gateway answers.</summary>
    public static ConnectionsAnswer Gone { get; } = new StatusAnswer(410, "GoneException", null);

    public static ConnectionsAnswer Throttled { get; } = new StatusAnswer(429, "LimitExceededException", """{"message":"Rate exceeded"}""");
    public static ConnectionsAnswer InternalError { get; } = new StatusAnswer(500, "InternalServerErrorException", """{"message":"Internal server error"}""");
    public static ConnectionsAnswer Forbidden { get; } = new StatusAnswer(403, "ForbiddenException", """{"message":"Forbidden"}""");
    public static ConnectionsAnswer PayloadTooLarge { get; } = new StatusAnswer(413, "PayloadTooLargeException", """{"message":"Request entity too large"}""");

    /// <summary>Never answers: holds the request until the client gives up on it.</summary>
    public static ConnectionsAnswer Hang { get; } = new HangAnswer();

    /// <summary>Drops the TCP connection without an answer, as a reset would.</summary>
    public static ConnectionsAnswer Reset { get; } = new ResetAnswer();

    /// <summary>Waits for <paramref name="release"/>, then behaves normally: a slow answer.</summary>
    public static ConnectionsAnswer After(Task release) => new AfterAnswer(release);

    internal sealed record StatusAnswer(int StatusCode, string? ErrorType, string? Body) : ConnectionsAnswer;
    internal sealed record HangAnswer : ConnectionsAnswer;
    internal sealed record ResetAnswer : ConnectionsAnswer;
    internal sealed record AfterAnswer(Task Release) : ConnectionsAnswer;
}
