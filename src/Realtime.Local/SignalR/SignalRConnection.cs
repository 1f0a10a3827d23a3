using System.Text;
using Microsoft.AspNetCore.SignalR;
using Realtime.Local.Connections;

namespace Realtime.Local.SignalR;

/// <summary>
/// A connection on the SignalR hub: what @connections posts to it arrives as the client method
/// <c>message(string)</c>; a close from the gateway aborts the SignalR connection.
/// </summary>
internal sealed class SignalRConnection(ConnectionDetails details, HubCallerContext context, ISingleClientProxy client)
    : GatewayConnection(details)
{
    public const string ClientMethod = "message";

    public override string Transport => "signalr";

    public override async ValueTask SendTextAsync(ReadOnlyMemory<byte> utf8, CancellationToken cancellationToken) =>
        await client.SendAsync(ClientMethod, Encoding.UTF8.GetString(utf8.Span), cancellationToken).ConfigureAwait(false);

    protected internal override void BeginClose(CloseStatus status) => context.Abort();
}
