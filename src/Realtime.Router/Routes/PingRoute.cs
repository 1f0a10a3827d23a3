using Realtime.Router.Protocol;

namespace Realtime.Router.Routes;

/// <summary><c>{"action":"ping","id":"1"}</c> → <c>{"type":"pong","id":"1"}</c>. A data message, so it also keeps an idle connection open.</summary>
public sealed class PingRoute(Replies replies) : IRouteHandler
{
    public string RouteKey => "ping";

    public Task HandleAsync(RouteContext context, CancellationToken cancellationToken) =>
        replies.SendAsync(context, ServerMessage.Pong(context.Message.Id), cancellationToken);
}
