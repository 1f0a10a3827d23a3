using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Realtime.Connect.Contract;
using Realtime.Connect.Hosting;
using Realtime.Connect.Hosting.Metrics;
using Realtime.Connect.Registry;

namespace Realtime.Connect.Functions;

/// <summary>
/// <c>$disconnect</c>: forgets the connection and its subscriptions. API Gateway delivers it at most once and maybe
/// never, so it is idempotent (an unknown or repeated id succeeds) and fan-out also removes connections that answer 410.
/// </summary>
public sealed class DisconnectFunction
{
    private readonly IConnectionRegistry _registry;
    private readonly ILogger _logger;
    private readonly FunctionDeadline _deadline;
    private readonly FunctionMetrics _metrics;

    /// <summary>Lambda's constructor: everything from environment variables.</summary>
    public DisconnectFunction()
        : this(FunctionEnvironment.Current)
    {
    }

    /// <summary>Everything from <paramref name="environment"/>, as Lambda would set it from the template.</summary>
    public DisconnectFunction(FunctionEnvironment environment)
        : this(environment.Compose(static environment => (
            Registry: environment.CreateRegistry(),
            Logger: environment.LoggerFactory.CreateLogger<DisconnectFunction>(),
            Deadline: environment.CreateDeadline(),
            Metrics: environment.CreateMetrics(FunctionMetrics.Disconnect))))
    {
    }

    private DisconnectFunction((IConnectionRegistry Registry, ILogger Logger, FunctionDeadline Deadline, FunctionMetrics Metrics) parts)
        : this(parts.Registry, parts.Logger, parts.Deadline, parts.Metrics)
    {
    }

    [ActivatorUtilitiesConstructor]
    public DisconnectFunction(IConnectionRegistry registry, ILogger<DisconnectFunction>? logger = null, FunctionDeadline? deadline = null, IMetricsSink? metrics = null)
        : this(registry, (ILogger?)logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, deadline ?? FunctionDeadline.None,
            new FunctionMetrics(FunctionMetrics.Disconnect, metrics))
    {
    }

    private DisconnectFunction(IConnectionRegistry registry, ILogger logger, FunctionDeadline deadline, FunctionMetrics metrics)
    {
        _registry = registry;
        _logger = logger;
        _deadline = deadline;
        _metrics = metrics;
    }

    public Task<Stream> FunctionHandler(Stream input) => ProxyFunction.InvokeAsync(input, _logger, _deadline, _metrics, HandleAsync);

    private async Task<ProxyResponse> HandleAsync(WebSocketProxyEvent proxyEvent, CancellationToken cancellationToken)
    {
        var context = proxyEvent.RequestContext;
        var removed = await _registry.RemoveAsync(context.ConnectionId!, cancellationToken).ConfigureAwait(false);
        // Only a connection this call forgot: a repeated or unknown $disconnect closes nothing.
        InvocationMetrics.Current?.Count(Metric.ConnectionsClosed, removed ? 1 : 0);
        FunctionsLog.Disconnected(_logger, context.ConnectionId!, context.DisconnectStatusCode, context.DisconnectReason, removed);
        return ProxyResponse.Status(200);
    }
}
