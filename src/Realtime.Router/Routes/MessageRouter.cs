using Realtime.Connect.Authorization;
using Realtime.Connect.Contract;
using Realtime.Connect.Management;
using Realtime.Router.Protocol;

namespace Realtime.Router.Routes;

/// <summary>
/// Hands a MESSAGE event to the handler of the route API Gateway selected (<c>requestContext.routeKey</c>); API
/// Gateway already matched <c>$request.body.action</c>, so the body is not routed a second time.
/// </summary>
public sealed class MessageRouter
{
    private readonly Dictionary<string, IRouteHandler> _handlers;
    private readonly Uri? _configuredEndpoint;

    public MessageRouter(IEnumerable<IRouteHandler> handlers, Uri? configuredEndpoint = null)
    {
        _handlers = handlers.ToDictionary(h => h.RouteKey, StringComparer.Ordinal);
        _configuredEndpoint = configuredEndpoint;
    }

    public IReadOnlyCollection<string> RouteKeys => _handlers.Keys;

    public async Task<bool> RouteAsync(WebSocketProxyEvent proxyEvent, CancellationToken cancellationToken)
    {
        var request = proxyEvent.RequestContext;
        var routeKey = request.RouteKey ?? "$default";
        if (!_handlers.TryGetValue(routeKey, out var handler) && !_handlers.TryGetValue("$default", out handler)) return false;

        using var message = ClientMessage.Parse(proxyEvent.Body);
        var context = new RouteContext(routeKey, request.ConnectionId!, AuthorizedIdentity.From(request.Authorizer).UserId, ConnectionsEndpoint.For(request, _configuredEndpoint), message);
        await handler.HandleAsync(context, cancellationToken).ConfigureAwait(false);
        return true;
    }
}
