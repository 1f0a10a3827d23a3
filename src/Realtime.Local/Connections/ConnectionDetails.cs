using Realtime.Connect.Contract;

namespace Realtime.Local.Connections;

/// <summary>
/// What the gateway knows about a connection from its handshake, fixed for its lifetime and replayed on every event:
/// the id, <c>connectedAt</c>, the domain and identity, and the authorizer's principal and context.
/// </summary>
/// <param name="ConnectionId">The API Gateway-style id.</param>
/// <param name="ConnectedAt">Epoch milliseconds of the handshake.</param>
/// <param name="DomainName">The Host the client connected to (the local stand-in for the API's domain).</param>
/// <param name="Identity"><c>requestContext.identity</c>: sourceIp and, when the handshake had one, userAgent.</param>
/// <param name="Authorizer">The authorizer's principal and stringified context, without <c>integrationLatency</c>.</param>
public sealed record ConnectionDetails(
    string ConnectionId,
    long ConnectedAt,
    string DomainName,
    RequestIdentity Identity,
    AuthorizerContext? Authorizer);
