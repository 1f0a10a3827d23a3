using Realtime.Local.Functions;
using Realtime.Local.Template;

namespace Realtime.Local.Routing;

/// <summary>A route bound to its function, with its effective integration timeout.</summary>
public sealed record Route(RouteDefinition Definition, GatewayFunction Function, TimeSpan IntegrationTimeout)
{
    public string Key => Definition.RouteKey;
    public bool TwoWay => Definition.TwoWay;

    /// <summary>Whether the function's own Lambda timeout (a function error) comes before the integration timeout.</summary>
    public bool FunctionTimeoutFirst => Function.Timeout is { } timeout && timeout < IntegrationTimeout;

    /// <summary>How long an invocation may take: the shorter of the two timeouts.</summary>
    public TimeSpan Limit => FunctionTimeoutFirst ? Function.Timeout!.Value : IntegrationTimeout;

    /// <summary>Where the route's message invocations wait out their <see cref="Limit"/>; set when the gateway starts.</summary>
    internal DeadlineQueue? Deadlines { get; set; }
}
