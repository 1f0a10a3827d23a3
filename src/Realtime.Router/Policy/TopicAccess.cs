namespace Realtime.Router.Policy;

/// <summary>What a connection asks to do on a topic.</summary>
public enum TopicAccess
{
    Subscribe,
    Send,
}
