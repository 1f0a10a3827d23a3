using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Realtime.Connect.Contract;
using Realtime.Connect.Hosting;
using Realtime.Connect.Hosting.Metrics;
using Realtime.Router.Routes;

namespace Realtime.Router.Functions;

/// <summary>
/// Every message route (<c>ping</c>, <c>subscribe</c>, <c>unsubscribe</c>, <c>send</c>, <c>who</c>, <c>$default</c>):
/// hands the event to its route handler. Routes are one-way: answers go back through @connections, and the proxy
/// response only tells API Gateway (and the logs) how it went.
/// </summary>
public sealed class MessageFunction
{
    private readonly MessageRouter _router;
    private readonly ILogger _logger;
    private readonly FunctionDeadline _deadline;
    private readonly FunctionMetrics _metrics;

    /// <summary>Lambda's constructor: everything from environment variables.</summary>
    public MessageFunction()
        : this(FunctionEnvironment.Current)
    {
    }

    /// <summary>Everything from <paramref name="environment"/>, as Lambda would set it from the template.</summary>
    public MessageFunction(FunctionEnvironment environment)
        : this(environment.Compose(RouterFunctionServices.ForMessages))
    {
    }

    private MessageFunction(IServiceProvider services)
        : this(services.GetRequiredService<MessageRouter>(), services.GetRequiredService<ILogger<MessageFunction>>(), services.GetService<FunctionDeadline>(),
            services.GetService<IMetricsSink>())
    {
    }

    [ActivatorUtilitiesConstructor]
    public MessageFunction(MessageRouter router, ILogger<MessageFunction> logger, FunctionDeadline? deadline = null, IMetricsSink? metrics = null)
    {
        _router = router;
        _logger = logger;
        _deadline = deadline ?? FunctionDeadline.None;
        _metrics = new FunctionMetrics(FunctionMetrics.Message, metrics);
    }

    public Task<Stream> FunctionHandler(Stream input) => ProxyFunction.InvokeAsync(input, _logger, _deadline, _metrics, HandleAsync);

    private async Task<ProxyResponse> HandleAsync(WebSocketProxyEvent proxyEvent, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(proxyEvent.RequestContext.DomainName) || string.IsNullOrEmpty(proxyEvent.RequestContext.Stage))
        {
            return ProxyResponse.Status(400, "The event has no domainName or stage");
        }
        return await _router.RouteAsync(proxyEvent, cancellationToken).ConfigureAwait(false)
            ? ProxyResponse.Status(200)
            : ProxyResponse.Status(404, $"No handler for route {proxyEvent.RequestContext.RouteKey}");
    }
}
