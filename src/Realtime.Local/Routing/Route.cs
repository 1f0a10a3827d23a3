using Realtime.Local.Functions;
using Realtime.Local.Template;

namespace Realtime.Local.Routing;

/// <summary>A route bound to its function, with its effective integration timeout.</summary>
public sealed record Route(RouteDefinition Definition, GatewayFunction Function, TimeSpan IntegrationTimeout)
{
    public string Key => Definition.RouteKey;
    public bool TwoWay => Definition.TwoWay;
}
