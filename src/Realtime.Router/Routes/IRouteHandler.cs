namespace Realtime.Router.Routes;

/// <summary>Handles the messages API Gateway routed to one route key.</summary>
public interface IRouteHandler
{
    string RouteKey { get; }

    Task HandleAsync(RouteContext context, CancellationToken cancellationToken);
}
