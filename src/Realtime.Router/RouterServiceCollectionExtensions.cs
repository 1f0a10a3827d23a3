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
    /// <see cref="MessageRateLimit"/> (none by default), an <see cref="IDeliveryLedger"/> and an <see cref="IShardQueue"/>
    /// (in memory by default: the shards of a large audience then wait for the host to work them off its
    /// <see cref="InProcessShardQueue"/>).
    /// </summary>
    public static IServiceCollection AddRealtimeRoutes(this IServiceCollection services, TopicPolicy? policy = null, FanOutOptions? fanOut = null)
    {
        services.AddSingleton(policy ?? TopicPolicy.Default);
        var options = (fanOut ?? new FanOutOptions()).Validated();
        services.AddSingleton(options);
        services.AddSingleton(provider => new AdaptiveConcurrency(options, provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton(provider => options.RatePerSecond > 0 ? new RateBudget(options.RatePerSecond, provider.GetRequiredService<TimeProvider>()) : RateBudget.Unlimited);
        services.TryAddSingleton<IDeliveryLedger>(provider => new InMemoryDeliveryLedger(provider.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<InProcessShardQueue>();
        services.TryAddSingleton<IShardQueue>(provider => provider.GetRequiredService<InProcessShardQueue>());
        services.AddSingleton<RangeDelivery>();
        services.AddSingleton<Broadcaster>();
        services.AddSingleton<ShardPlanner>();
        services.AddSingleton<ShardWorker>();
        services.AddSingleton<TopicFanOut>();
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
