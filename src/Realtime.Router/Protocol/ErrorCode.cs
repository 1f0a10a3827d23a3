namespace Realtime.Router.Protocol;

/// <summary>The <c>code</c> of an error answer; stable strings clients can switch on.</summary>
public static class ErrorCode
{
    /// <summary>The action is not one the server knows (the <c>$default</c> route).</summary>
    public const string UnknownAction = "unknown_action";

    /// <summary>The message lacks a field or has one of the wrong shape (a bad topic name, no data to send).</summary>
    public const string BadRequest = "bad_request";

    /// <summary>The topic policy does not allow this connection's user to do this on this topic.</summary>
    public const string Forbidden = "forbidden";

    /// <summary>The connection is no longer recorded (it expired or was cleaned up); reconnect.</summary>
    public const string UnknownConnection = "unknown_connection";

    /// <summary>The message is over the size the server accepts for one delivery.</summary>
    public const string TooLarge = "too_large";

    /// <summary>The connection holds as many subscriptions as one connection may; unsubscribe from one first.</summary>
    public const string TooManySubscriptions = "too_many_subscriptions";

    /// <summary>The connection (or its user) sent more messages than allowed in the current second; this one was dropped.</summary>
    public const string RateLimited = "rate_limited";
}
