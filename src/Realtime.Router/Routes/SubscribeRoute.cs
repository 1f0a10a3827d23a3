using Realtime.Connect.Registry;
using Realtime.Router.Policy;
using Realtime.Router.Protocol;

namespace Realtime.Router.Routes;

/// <summary><c>{"action":"subscribe","topic":"wishlist:42","id":"2"}</c> → ack, or an error when the name or the policy refuses it.</summary>
public sealed class SubscribeRoute(IConnectionRegistry registry, TopicGuard guard, Replies replies) : IRouteHandler
{
    public string RouteKey => "subscribe";

    public async Task HandleAsync(RouteContext context, CancellationToken cancellationToken)
    {
        if (await guard.CheckAsync(context, TopicAccess.Subscribe, cancellationToken).ConfigureAwait(false) is not { } topic) return;

        switch (await registry.SubscribeAsync(context.ConnectionId, topic, cancellationToken).ConfigureAwait(false))
        {
            case SubscribeResult.UnknownConnection:
                await guard.RefuseAsync(context, ErrorCode.UnknownConnection, "This connection is no longer recorded; reconnect.", cancellationToken).ConfigureAwait(false);
                return;
            case SubscribeResult.LimitReached:
                await guard.RefuseAsync(context, ErrorCode.TooManySubscriptions, "This connection holds as many subscriptions as one may; unsubscribe from one first.", cancellationToken).ConfigureAwait(false);
                return;
        }
        await replies.SendAsync(context, ServerMessage.Ack(context.Message.Id), cancellationToken).ConfigureAwait(false);
    }
}
