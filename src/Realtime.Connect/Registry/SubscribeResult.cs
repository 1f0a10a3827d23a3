namespace Realtime.Connect.Registry;

/// <summary>How a subscription request ended.</summary>
public enum SubscribeResult
{
    /// <summary>The connection is subscribed (it may have been already: subscribing is idempotent).</summary>
    Subscribed,

    /// <summary>The connection is not recorded (gone, expired, or never connected).</summary>
    UnknownConnection,

    /// <summary>The connection already holds <see cref="RegistryOptions.MaxSubscriptionsPerConnection"/> subscriptions.</summary>
    LimitReached,
}
