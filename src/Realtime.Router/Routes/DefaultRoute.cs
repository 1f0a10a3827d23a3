using Realtime.Router.Protocol;

namespace Realtime.Router.Routes;

/// <summary><c>$default</c>: anything whose action no route matched (or that is not JSON) gets an <c>unknown_action</c> error.</summary>
public sealed class DefaultRoute(Replies replies) : IRouteHandler
{
    public string RouteKey => "$default";

    public Task HandleAsync(RouteContext context, CancellationToken cancellationToken)
    {
        var message = context.Message;
        var text = !message.IsObject ? "Messages are JSON objects with an \"action\"."
            : message.Action is null ? "The message has no \"action\"."
            : $"Unknown action \"{message.Action}\"; the actions are ping, subscribe, unsubscribe, send and who.";
        return replies.SendAsync(context, ServerMessage.Error(message.Id, ErrorCode.UnknownAction, text), cancellationToken);
    }
}
