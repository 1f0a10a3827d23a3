using Realtime.Router.FanOut;
using Realtime.Router.Policy;
using Realtime.Router.Publishing;
using Realtime.Router.Routes;

namespace Microsoft.Extensions.DependencyInjection;

public static class RouterServiceCollectionExtensions
{
    /// <summary>
    /// The client protocol's route handlers and what they share. The caller registers an <c>IConnectionRegistry</c>,
    /// an <c>IConnectionsClient</c>, a <c>TimeProvider</c> and logging. <paramref name="connectionsEndpoint"/> replaces
    /// the <c>https://{domainName}/{stage}</c> of events (a custom domain's base path, or the local host).
    /// </summary>
    public static IServiceCollection AddRealtimeRoutes(this IServiceCollection services, TopicPolicy? policy = null, Uri? connectionsEndpoint = null, FanOutOptions? fanOut = null)
    {
        services.AddSingleton(policy ?? TopicPolicy.Default);
        services.AddSingleton((fanOut ?? new FanOutOptions()) with { ConnectionsEndpoint = connectionsEndpoint ?? fanOut?.ConnectionsEndpoint });
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
        services.AddSingleton(sp => new MessageRouter(sp.GetServices<IRouteHandler>(), connectionsEndpoint));
        return services;
    }
}
