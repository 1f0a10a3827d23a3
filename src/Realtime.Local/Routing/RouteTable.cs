using Realtime.Local.Functions;

namespace Realtime.Local.Routing;

/// <summary>
/// The API's routes. Messages are routed by the selection expression to the route whose key equals the evaluated
/// value exactly, else to <c>$default</c>, else nowhere (the Forbidden frame). <c>$connect</c> and <c>$disconnect</c>
/// are lifecycle routes and never selected by a message.
/// </summary>
public sealed class RouteTable
{
    public const string ConnectKey = "$connect";
    public const string DisconnectKey = "$disconnect";
    public const string DefaultKey = "$default";

    private readonly Dictionary<string, Route> _messageRoutes;
    private readonly Route? _default;

    public RouteTable(RouteSelectionExpression selection, IEnumerable<Route> routes, GatewayFunction? authorizer = null)
    {
        Selection = selection;
        Authorizer = authorizer;
        _messageRoutes = new Dictionary<string, Route>(StringComparer.Ordinal);
        foreach (var route in routes)
        {
            switch (route.Key)
            {
                case ConnectKey:
                    Connect = route;
                    break;
                case DisconnectKey:
                    Disconnect = route;
                    break;
                default:
                    _messageRoutes[route.Key] = route;
                    break;
            }
        }
        _default = _messageRoutes.GetValueOrDefault(DefaultKey);
    }

    public RouteSelectionExpression Selection { get; }
    public Route? Connect { get; }
    public Route? Disconnect { get; }

    /// <summary>The function of the $connect route's REQUEST authorizer, when it has one.</summary>
    public GatewayFunction? Authorizer { get; }
    public IEnumerable<Route> MessageRoutes => _messageRoutes.Values;

    /// <summary>The route for a message, or null when none matches and there is no <c>$default</c>.</summary>
    public Route? Select(ReadOnlySpan<byte> utf8Message)
    {
        var key = Selection.Evaluate(utf8Message);
        if (key is not null && _messageRoutes.TryGetValue(key, out var route)) return route;
        return _default;
    }
}
