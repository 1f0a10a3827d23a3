using Microsoft.Extensions.Logging;
using Realtime.Router.Policy;
using Realtime.Router.Protocol;
using Realtime.Router.Topics;

namespace Realtime.Router.Routes;

/// <summary>
/// The checks every topic route makes before it acts: a valid topic name, then the policy. A refusal is answered to
/// the sender with the matching error and logged; the route then does nothing.
/// </summary>
public sealed class TopicGuard(TopicPolicy policy, Replies replies, ILogger<TopicGuard> logger)
{
    /// <summary>The topic when the sender may do <paramref name="access"/> on it; null when refused (already answered).</summary>
    public async Task<string?> CheckAsync(RouteContext context, TopicAccess access, CancellationToken cancellationToken)
    {
        var topic = context.Message.Topic;
        if (!TopicName.IsValid(topic, out var error))
        {
            await RefuseAsync(context, ErrorCode.BadRequest, error, cancellationToken).ConfigureAwait(false);
            return null;
        }
        if (!policy.Allows(access, topic!, context.UserId))
        {
            var verb = access switch { TopicAccess.Subscribe => "subscribe to", TopicAccess.Send => "send on", _ => "ask who is on" };
            await RefuseAsync(context, ErrorCode.Forbidden, $"You may not {verb} \"{topic}\".", cancellationToken).ConfigureAwait(false);
            return null;
        }
        return topic;
    }

    public Task RefuseAsync(RouteContext context, string code, string message, CancellationToken cancellationToken)
    {
        RoutesLog.Refused(logger, context.RouteKey, context.ConnectionId, context.UserId, code);
        return replies.SendAsync(context, ServerMessage.Error(context.Message.Id, code, message), cancellationToken);
    }
}
