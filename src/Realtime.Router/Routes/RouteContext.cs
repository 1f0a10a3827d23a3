using Realtime.Connect.Management;
using Realtime.Router.Protocol;

namespace Realtime.Router.Routes;

/// <summary>
/// One message on one route: who sent it (the event's connection and the authorizer's principal, never anything
/// the body claims) and where answers to that connection go.
/// </summary>
public sealed record RouteContext(string RouteKey, string ConnectionId, string? UserId, Uri Endpoint, ClientMessage Message)
{
    public ConnectionTarget Sender => new(Endpoint, ConnectionId);
}
