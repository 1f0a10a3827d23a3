using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Realtime.Connect.Management;
using Realtime.Connect.Registry;
using Realtime.Router.Functions;
using Realtime.Router.Policy;
using Realtime.Testing;
using Realtime.Testing.Functions;

namespace Realtime.Router.Tests.Routes;

/// <summary>The message function wired as the local host wires it, over a given registry and a recording @connections.</summary>
internal sealed class RouterHarness : IDisposable
{
    private readonly ServiceProvider _services;

    public RouterHarness(IConnectionRegistry? registry = null, TopicPolicy? policy = null, MessageRateLimit? rateLimit = null, Router.FanOut.FanOutOptions? fanOut = null)
    {
        Registry = registry ?? new InMemoryConnectionRegistry();
        _services = new ServiceCollection()
            .AddLogging(logging => logging.AddProvider(new Connect.Hosting.JsonLinesLoggerProvider(Log, LogLevel.Debug)))
            .AddSingleton(TimeProvider.System)
            .AddSingleton(Registry)
            .AddSingleton<IConnectionsClient>(Connections)
            .AddSingleton(new ConnectionsEndpoints(Endpoint))
            .AddSingleton(rateLimit ?? MessageRateLimit.None)
            .AddSingleton<Connect.Hosting.Metrics.IMetricsSink>(Metrics)
            .AddRealtimeRoutes(policy, fanOut)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        Function = ActivatorUtilities.CreateInstance<MessageFunction>(_services);
    }

    /// <summary>The configured @connections endpoint: the stage URL of the events' API.</summary>
    public static Uri Endpoint { get; } = new($"https://{ProxyEvents.DomainName}/{ProxyEvents.Stage}");

    public IConnectionRegistry Registry { get; }

    public RecordingConnections Connections { get; } = new();

    public MemoryStream Log { get; } = new();

    public CapturedMetrics Metrics { get; } = new();

    public MessageFunction Function { get; }

    public IServiceProvider Services => _services;

    public async Task ConnectAsync(string connectionId, string? userId)
    {
        await Registry.AddAsync(new Connection(connectionId, userId, DateTimeOffset.UtcNow, ProxyEvents.DomainName, ProxyEvents.Stage, "203.0.113.10"), CancellationToken.None).DefaultTimeout();
    }

    /// <summary>Sends a message as API Gateway would: on the route its action selects, or <c>$default</c>.</summary>
    public async Task<int> SendAsync(string connectionId, string? userId, string body, string? routeKey = null)
    {
        routeKey ??= RouteKeyOf(body);
        var response = await ProxyEvents.InvokeAsync(Function.FunctionHandler, ProxyEvents.Message(connectionId, body, userId, routeKey));
        return response.StatusCode;
    }

    private static string RouteKeyOf(string body)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(body);
            return document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object &&
                   document.RootElement.TryGetProperty("action", out var action) &&
                   action.GetString() is "ping" or "subscribe" or "unsubscribe" or "send" or "who"
                ? action.GetString()!
                : "$default";
        }
        catch (System.Text.Json.JsonException)
        {
            return "$default";
        }
    }

    public void Dispose() => _services.Dispose();
}
