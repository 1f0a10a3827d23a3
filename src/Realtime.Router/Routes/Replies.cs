using Microsoft.Extensions.Logging;
using Realtime.Connect.Management;

namespace Realtime.Router.Routes;

/// <summary>Posts an answer back to the connection that sent the message.</summary>
public sealed class Replies(IConnectionsClient connections, ILogger<Replies> logger)
{
    public async Task SendAsync(RouteContext context, byte[] message, CancellationToken cancellationToken)
    {
        var result = await connections.PostAsync(context.Sender, message, cancellationToken).ConfigureAwait(false);
        // A sender gone before its answer is ordinary (it closed the tab); anything else is worth a line.
        if (!result.IsOk && result.Status != ConnectionsStatus.Gone) RoutesLog.ReplyFailed(logger, context.ConnectionId, result.Status, result.HttpStatusCode);
    }
}
