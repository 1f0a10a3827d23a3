using Realtime.Connect.Registry;
using Realtime.Router.Protocol;
using Realtime.Router.Topics;

namespace Realtime.Router.Routes;

/// <summary><c>{"action":"unsubscribe","topic":"wishlist:42","id":"3"}</c> → ack, whether or not there was a subscription.</summary>
public sealed class UnsubscribeRoute(IConnectionRegistry registry, TopicGuard guard, Replies replies) : IRouteHandler
{
    public string RouteKey => "unsubscribe";

    public async Task HandleAsync(RouteContext context, CancellationToken cancellationToken)
    {
        var topic = context.Message.Topic;
        if (!TopicName.IsValid(topic, out var error))
        {
            await guard.RefuseAsync(context, ErrorCode.BadRequest, error, cancellationToken).ConfigureAwait(false);
            return;
        }
        // Leaving needs no permission, and only ever touches the sender's own subscription.
        await registry.UnsubscribeAsync(context.ConnectionId, topic!, cancellationToken).ConfigureAwait(false);
        await replies.SendAsync(context, ServerMessage.Ack(context.Message.Id), cancellationToken).ConfigureAwait(false);
    }
}
