using Realtime.Connect.Registry;
using Realtime.Router.Policy;
using Realtime.Router.Protocol;

namespace Realtime.Router.Routes;

/// <summary>
/// <c>{"action":"who","topic":"room:lobby","id":"5"}</c> → the distinct users connected to the room and how many
/// anonymous connections there are. Only for topics whose policy allows it (rooms, not a wishlist's watchers), and
/// only to a connection subscribed to the topic itself: being allowed to subscribe is not being in the room.
/// </summary>
public sealed class WhoRoute(IConnectionRegistry registry, TopicGuard guard, Replies replies) : IRouteHandler
{
    public string RouteKey => "who";

    public async Task HandleAsync(RouteContext context, CancellationToken cancellationToken)
    {
        if (await guard.CheckAsync(context, TopicAccess.Who, cancellationToken).ConfigureAwait(false) is not { } topic) return;
        if (!await registry.IsSubscribedAsync(context.ConnectionId, topic, cancellationToken).ConfigureAwait(false))
        {
            await guard.RefuseAsync(context, ErrorCode.Forbidden, $"Subscribe to \"{topic}\" to see who is there.", cancellationToken).ConfigureAwait(false);
            return;
        }

        var users = new SortedSet<string>(StringComparer.Ordinal);
        var anonymous = 0;
        var page = PageRequest.First();
        while (true)
        {
            var connections = await registry.ListTopicAsync(topic, page, cancellationToken).ConfigureAwait(false);
            foreach (var connection in connections.Items)
            {
                if (connection.UserId is { } user) users.Add(user);
                else anonymous++;
            }
            if (connections.NextCursor is not { } cursor) break;
            page = page with { Cursor = cursor };
        }
        await replies.SendAsync(context, ServerMessage.Who(context.Message.Id, topic, users, anonymous), cancellationToken).ConfigureAwait(false);
    }
}
