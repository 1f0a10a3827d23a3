using Microsoft.Extensions.Logging;
using Realtime.Connect.Management;
using Realtime.Router.Policy;
using Realtime.Router.FanOut;
using Realtime.Router.Protocol;

namespace Realtime.Router.Routes;

/// <summary>
/// <c>{"action":"send","topic":"room:lobby","data":{...},"id":"4"}</c>: every subscriber of the room (the sender too,
/// if subscribed) gets <c>{"type":"message",...}</c> with a server-made messageId, sentAt and the sender's user; then
/// the sender gets the ack, so a client that waits for it keeps its messages in order. A room larger than one
/// invocation serves (<see cref="FanOutOptions.DirectAudience"/>) goes through the shard queue: the ack then says the
/// message is accepted (<c>"queued":true</c>) rather than delivered.
/// </summary>
public sealed class SendRoute(TopicFanOut fanOut, TopicGuard guard, Replies replies, TimeProvider time, ILogger<SendRoute> logger) : IRouteHandler
{
    public string RouteKey => "send";

    public async Task HandleAsync(RouteContext context, CancellationToken cancellationToken)
    {
        if (await guard.CheckAsync(context, TopicAccess.Send, cancellationToken).ConfigureAwait(false) is not { } topic) return;
        if (context.Message.Data is not { } data)
        {
            await guard.RefuseAsync(context, ErrorCode.BadRequest, "A message to send needs \"data\".", cancellationToken).ConfigureAwait(false);
            return;
        }

        var messageId = Guid.CreateVersion7(time.GetUtcNow()).ToString("N");
        var message = ServerMessage.Message(topic, context.UserId, data, messageId, time.GetUtcNow());
        if (message.Length > ConnectionsClientOptions.MaxPayloadBytes)
        {
            await guard.RefuseAsync(context, ErrorCode.TooLarge, $"The message would be {message.Length} bytes; at most {ConnectionsClientOptions.MaxPayloadBytes} can be delivered.", cancellationToken).ConfigureAwait(false);
            return;
        }

        var result = await fanOut.StartAsync(new Delivery(messageId, topic, message), cancellationToken).ConfigureAwait(false);
        if (result.Report is { } report) RoutesLog.Sent(logger, messageId, context.UserId, topic, report.Delivered, report.Gone, report.Failed);
        await replies.SendAsync(context, ServerMessage.Ack(context.Message.Id, messageId, queued: result.IsQueued), cancellationToken).ConfigureAwait(false);
    }
}
