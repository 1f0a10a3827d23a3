using Microsoft.Extensions.Logging;
using Realtime.Connect.Authorization;
using Realtime.Connect.Contract;
using Realtime.Connect.Hosting.Metrics;
using Realtime.Connect.Management;
using Realtime.Connect.Registry;
using Realtime.Router.Protocol;

namespace Realtime.Router.Routes;

/// <summary>
/// Hands a MESSAGE event to the handler of the route API Gateway selected (<c>requestContext.routeKey</c>); API
/// Gateway already matched <c>$request.body.action</c>, so the body is not routed a second time. A message over the
/// sender's rate limit is answered with <c>rate_limited</c> and goes no further.
/// </summary>
public sealed class MessageRouter
{
    private readonly Dictionary<string, IRouteHandler> _handlers;
    private readonly ConnectionsEndpoints _endpoints;
    private readonly IConnectionRegistry _registry;
    private readonly MessageRateLimit _rateLimit;
    private readonly Replies _replies;
    private readonly ILogger _logger;

    public MessageRouter(
        IEnumerable<IRouteHandler> handlers, ConnectionsEndpoints endpoints, IConnectionRegistry registry, MessageRateLimit rateLimit, Replies replies, ILogger<MessageRouter> logger)
    {
        _handlers = handlers.ToDictionary(h => h.RouteKey, StringComparer.Ordinal);
        _endpoints = endpoints;
        _registry = registry;
        _rateLimit = rateLimit;
        _replies = replies;
        _logger = logger;
    }

    public IReadOnlyCollection<string> RouteKeys => _handlers.Keys;

    public async Task<bool> RouteAsync(WebSocketProxyEvent proxyEvent, CancellationToken cancellationToken)
    {
        var request = proxyEvent.RequestContext;
        var routeKey = request.RouteKey ?? "$default";
        if (!_handlers.TryGetValue(routeKey, out var handler) && !_handlers.TryGetValue("$default", out handler)) return false;

        if (InvocationMetrics.Current is { } metrics)
        {
            metrics.Route = routeKey;
            metrics.Count(Metric.Messages);
        }

        using var message = ClientMessage.Parse(proxyEvent.Body);
        var context = new RouteContext(routeKey, request.ConnectionId!, AuthorizedIdentity.From(request.Authorizer).UserId, _endpoints.For(request), message);
        if (!_rateLimit.IsNone && !await _registry.TryCountMessageAsync(context.ConnectionId, context.UserId, _rateLimit, cancellationToken).ConfigureAwait(false))
        {
            RoutesLog.Refused(_logger, routeKey, context.ConnectionId, context.UserId, ErrorCode.RateLimited);
            InvocationMetrics.Current?.Count(Metric.RateLimited);
            await _replies.SendAsync(context, ServerMessage.Error(message.Id, ErrorCode.RateLimited, "Too many messages this second; this one was dropped. Slow down."), cancellationToken).ConfigureAwait(false);
            return true;
        }
        await handler.HandleAsync(context, cancellationToken).ConfigureAwait(false);
        return true;
    }
}
