using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Realtime.Connect.Authorization;
using Realtime.Connect.Contract;
using Realtime.Connect.Hosting;
using Realtime.Connect.Hosting.Metrics;
using Realtime.Connect.Registry;

namespace Realtime.Connect.Functions;

/// <summary>
/// <c>$connect</c>: records the connection, its user (the authorizer's principal, when there is one) and where it
/// can be reached, then lets the handshake complete. Returning a non-2xx status fails the handshake with that status.
/// </summary>
public sealed class ConnectFunction
{
    private readonly IConnectionRegistry _registry;
    private readonly ConnectOptions _options;
    private readonly ILogger _logger;
    private readonly FunctionDeadline _deadline;
    private readonly FunctionMetrics _metrics;

    /// <summary>Lambda's constructor: everything from environment variables.</summary>
    public ConnectFunction()
        : this(FunctionEnvironment.Current)
    {
    }

    /// <summary>Everything from <paramref name="environment"/>, as Lambda would set it from the template.</summary>
    public ConnectFunction(FunctionEnvironment environment)
        : this(environment.Compose(static environment => (
            Registry: environment.CreateRegistry(),
            Options: new ConnectOptions { Subprotocols = environment.List(ConnectOptions.SubprotocolsVariable) },
            Logger: environment.LoggerFactory.CreateLogger<ConnectFunction>(),
            Deadline: environment.CreateDeadline(),
            Metrics: environment.CreateMetrics(FunctionMetrics.Connect))))
    {
    }

    private ConnectFunction((IConnectionRegistry Registry, ConnectOptions Options, ILogger Logger, FunctionDeadline Deadline, FunctionMetrics Metrics) parts)
        : this(parts.Registry, parts.Options, parts.Logger, parts.Deadline, parts.Metrics)
    {
    }

    [ActivatorUtilitiesConstructor]
    public ConnectFunction(
        IConnectionRegistry registry, ConnectOptions? options = null, ILogger<ConnectFunction>? logger = null, FunctionDeadline? deadline = null, IMetricsSink? metrics = null)
        : this(registry, options ?? new ConnectOptions(), (ILogger?)logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, deadline ?? FunctionDeadline.None,
            new FunctionMetrics(FunctionMetrics.Connect, metrics))
    {
    }

    private ConnectFunction(IConnectionRegistry registry, ConnectOptions options, ILogger logger, FunctionDeadline deadline, FunctionMetrics metrics)
    {
        _registry = registry;
        _options = options;
        _logger = logger;
        _deadline = deadline;
        _metrics = metrics;
    }

    public Task<Stream> FunctionHandler(Stream input) => ProxyFunction.InvokeAsync(input, _logger, _deadline, _metrics, HandleAsync);

    private async Task<ProxyResponse> HandleAsync(WebSocketProxyEvent proxyEvent, CancellationToken cancellationToken)
    {
        var context = proxyEvent.RequestContext;
        var connectionId = context.ConnectionId!;
        if (string.IsNullOrEmpty(context.DomainName) || string.IsNullOrEmpty(context.Stage))
        {
            FunctionsLog.IncompleteConnect(_logger, connectionId);
            return ProxyResponse.Status(400, "The $connect event has no domainName or stage");
        }

        var offered = Subprotocols.Offered(proxyEvent.Headers);
        var subprotocol = Subprotocols.Choose(_options.Subprotocols, offered);
        if (offered.Count > 0 && subprotocol is null)
        {
            FunctionsLog.NoCommonSubprotocol(_logger, connectionId, offered.Count, offered.Sum(protocol => protocol.Length));
            return ProxyResponse.Status(400, "None of the offered subprotocols is supported");
        }

        var connection = new Connection(
            connectionId,
            AuthorizedIdentity.From(context.Authorizer).UserId,
            DateTimeOffset.FromUnixTimeMilliseconds(context.ConnectedAt),
            context.DomainName,
            context.Stage,
            context.Identity?.SourceIp);
        try
        {
            await _registry.AddAsync(connection, cancellationToken).ConfigureAwait(false);
            InvocationMetrics.Current?.Count(Metric.ConnectionsOpened);
        }
        catch (ConnectionExistsException)
        {
            // A repeated $connect for a recorded id changes nothing; the first one decided.
            FunctionsLog.AlreadyConnected(_logger, connectionId);
        }

        FunctionsLog.Connected(_logger, connectionId, connection.UserId, subprotocol);
        return Accept(subprotocol);
    }

    private static ProxyResponse Accept(string? subprotocol) => subprotocol is null
        ? ProxyResponse.Status(200)
        : new ProxyResponse { StatusCode = 200, Headers = new Dictionary<string, string> { [Subprotocols.Header] = subprotocol } };
}
