namespace Realtime.Router.Policy;

/// <summary>What a connection asks to do on a topic.</summary>
public enum TopicAccess
{
    Subscribe,
    Send,

    /// <summary>Ask who is subscribed (the <c>who</c> route); also needs the caller's own subscription.</summary>
    Who,
}
