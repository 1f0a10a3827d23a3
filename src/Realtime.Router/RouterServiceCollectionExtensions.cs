using Microsoft.Extensions.DependencyInjection.Extensions;
using Realtime.Connect.Registry;
using Realtime.Connect.Management;
using Realtime.Router.FanOut;
using Realtime.Router.Policy;
using Realtime.Router.Publishing;
using Realtime.Router.Routes;

namespace Microsoft.Extensions.DependencyInjection;

public static class RouterServiceCollectionExtensions
{
    /// <summary>
    /// The client protocol's route handlers and what they share. The caller registers an <c>IConnectionRegistry</c>,
    /// an <c>IConnectionsClient</c>, a <c>TimeProvider</c>, logging and the <see cref="ConnectionsEndpoints"/> that
    /// answers go to (an event's domain name only chooses among them); and may register a
    /// <see cref="MessageRateLimit"/> (none by default).
    /// </summary>
    public static IServiceCollection AddRealtimeRoutes(this IServiceCollection services, TopicPolicy? policy = null, FanOutOptions? fanOut = null)
    {
        services.AddSingleton(policy ?? TopicPolicy.Default);
        services.AddSingleton(fanOut ?? new FanOutOptions());
        services.AddSingleton<Broadcaster>();
        services.AddSingleton<Publisher>();
        services.AddSingleton<Replies>();
        services.AddSingleton<TopicGuard>();
        services.AddSingleton<IRouteHandler, PingRoute>();
        services.AddSingleton<IRouteHandler, SubscribeRoute>();
        services.AddSingleton<IRouteHandler, UnsubscribeRoute>();
        services.AddSingleton<IRouteHandler, SendRoute>();
        services.AddSingleton<IRouteHandler, WhoRoute>();
        services.AddSingleton<IRouteHandler, DefaultRoute>();
        services.TryAddSingleton(MessageRateLimit.None);
        services.AddSingleton<MessageRouter>();
        return services;
    }
}
