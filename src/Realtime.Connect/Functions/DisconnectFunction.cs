using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Realtime.Connect.Contract;
using Realtime.Connect.Hosting;
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

    /// <summary>Lambda's constructor: everything from environment variables.</summary>
    public DisconnectFunction()
        : this(FunctionEnvironment.Current)
    {
    }

    /// <summary>Everything from <paramref name="environment"/>, as Lambda would set it from the template.</summary>
    public DisconnectFunction(FunctionEnvironment environment)
        : this(environment.Compose(static environment => (
            Registry: environment.CreateRegistry(),
            Logger: environment.LoggerFactory.CreateLogger<DisconnectFunction>())))
    {
    }

    private DisconnectFunction((IConnectionRegistry Registry, ILogger Logger) parts)
        : this(parts.Registry, parts.Logger)
    {
    }

    [ActivatorUtilitiesConstructor]
    public DisconnectFunction(IConnectionRegistry registry, ILogger<DisconnectFunction>? logger = null)
        : this(registry, (ILogger?)logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance)
    {
    }

    private DisconnectFunction(IConnectionRegistry registry, ILogger logger)
    {
        _registry = registry;
        _logger = logger;
    }

    public Task<Stream> FunctionHandler(Stream input) => ProxyFunction.InvokeAsync(input, _logger, HandleAsync);

    private async Task<ProxyResponse> HandleAsync(WebSocketProxyEvent proxyEvent)
    {
        var context = proxyEvent.RequestContext;
        var removed = await _registry.RemoveAsync(context.ConnectionId!, CancellationToken.None).ConfigureAwait(false);
        FunctionsLog.Disconnected(_logger, context.ConnectionId!, context.DisconnectStatusCode, context.DisconnectReason, removed);
        return ProxyResponse.Status(200);
    }
}
