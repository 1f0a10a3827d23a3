using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Realtime.Connect.Management;
using Realtime.Local.Connections;
using Realtime.Local.Events;
using Realtime.Local.Functions;
using Realtime.Local.Gateway;
using Realtime.Local.Management;
using Realtime.Local.Routing;
using Route = Realtime.Local.Routing.Route;
using ConnectionsEndpoint = Realtime.Local.Management.ConnectionsEndpoint;
using Realtime.Local.SignalR;
using Realtime.Local.Template;
using Realtime.Local.WebSockets;

namespace Realtime.Local.Hosting;

/// <summary>
/// The local host: reads the template, binds its functions, and serves on 127.0.0.1 the raw WebSocket endpoint
/// (<c>/{stage}</c>), the SignalR hub (<c>/hub</c>), @connections (<c>/{stage}/@connections/{id}</c>) and the demo
/// page (<c>/</c>). It answers only requests addressed to a loopback name (<see cref="HostCheck"/>) and lets only
/// allowed pages connect (<see cref="OriginCheck"/>). Tests and the command line build it the same way, through
/// <see cref="StartAsync"/>.
/// </summary>
public sealed class LocalGateway : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly WebSocketGateway _gateway;
    private readonly ConnectionTimeouts _timeouts;
    private int _disposed;

    private LocalGateway(WebApplication app, WebSocketGateway gateway, ConnectionTimeouts timeouts, string templatePath, ApiDefinition api, int port, string stage)
    {
        _app = app;
        _gateway = gateway;
        _timeouts = timeouts;
        TemplatePath = templatePath;
        Api = api;
        Port = port;
        Stage = stage;
        BaseUri = new Uri($"http://127.0.0.1:{port}/");
    }

    public string TemplatePath { get; }
    public ApiDefinition Api { get; }
    public int Port { get; }
    public string Stage { get; }
    public Uri BaseUri { get; }

    /// <summary><c>ws://127.0.0.1:{port}/{stage}</c></summary>
    public Uri WebSocketUri => new($"ws://127.0.0.1:{Port}/{Stage}");

    /// <summary><c>http://127.0.0.1:{port}/hub</c></summary>
    public Uri HubUri => new(BaseUri, "hub");

    /// <summary><c>http://127.0.0.1:{port}/{stage}/@connections</c>; a connection is <c>{this}/{url-encoded id}</c>.</summary>
    public Uri ConnectionsUri => new(BaseUri, $"{ManagementBasePath}@connections");

    /// <summary>The @connections base an SDK client is given (<c>http://127.0.0.1:{port}/{stage}</c>).</summary>
    public Uri ManagementEndpoint => new(BaseUri, ManagementBasePath.TrimEnd('/'));

    /// <summary><c>{base path}/</c>, or nothing when @connections is at the root.</summary>
    private string ManagementBasePath { get; init; } = "";

    public Uri DemoUri => BaseUri;

    /// <summary>The key <c>POST /publish</c> asks for.</summary>
    public string PublishKey { get; private init; } = "";

    public IServiceProvider Services => _app.Services;
    public WebSocketGateway Gateway => _gateway;

    public static async Task<LocalGateway> StartAsync(LocalGatewayOptions options, CancellationToken cancellationToken = default)
    {
        var templatePath = options.TemplatePath ?? TemplateLocator.FindDefault()
            ?? throw new TemplateException($"No {TemplateLocator.FileName} found above {Directory.GetCurrentDirectory()} or {AppContext.BaseDirectory}; pass --template PATH.");
        templatePath = Path.GetFullPath(templatePath);

        var gatewayOptions = new GatewayOptions
        {
            Stage = options.Stage,
            ConnectionsBasePath = options.ConnectionsBasePath,
            IdleTimeout = options.IdleTimeout,
            MaxDuration = options.MaxDuration,
            IntegrationTimeout = options.IntegrationTimeout,
            DeliverDisconnect = options.DeliverDisconnect,
            DisconnectDelay = options.DisconnectDelay,
            MaxInFlightPerConnection = options.MaxInFlightPerConnection > 0
                ? options.MaxInFlightPerConnection
                : throw new ArgumentOutOfRangeException(nameof(options), options.MaxInFlightPerConnection, "MaxInFlightPerConnection must be at least 1."),
        };
        var allowedOrigins = new AllowedOrigins(options.AllowedOrigins);
        if (options.ApiId is not null) gatewayOptions.ApiId = options.ApiId;

        var context = new TemplateContext(gatewayOptions.ApiId, gatewayOptions.Region, gatewayOptions.AccountId, options.TableName,
            new Dictionary<string, string>(options.Parameters, StringComparer.Ordinal));
        var api = TemplateReader.ReadFile(templatePath, context);
        RouteSelectionExpression selection;
        try
        {
            selection = RouteSelectionExpression.Parse(api.RouteSelectionExpression);
        }
        catch (FormatException e)
        {
            throw new TemplateException($"{templatePath}: {e.Message}");
        }
        var methods = api.Functions.Values.ToDictionary(f => f.Name, f => FunctionBinder.Resolve(HandlerName.Parse(f.Handler, f.Name), f.Name), StringComparer.Ordinal);

        var app = Build(options, gatewayOptions, allowedOrigins);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var port = BoundPort(app);
            var gateway = app.Services.GetRequiredService<WebSocketGateway>();
            var connectionsEndpoint = $"http://127.0.0.1:{port}/{gatewayOptions.ManagementBasePath}".TrimEnd('/');

            try
            {
                var functions = new Dictionary<string, GatewayFunction>(StringComparer.Ordinal);
                foreach (var definition in api.Functions.Values)
                {
                    if (options.ApplyFunctionEnvironment) TemplateEnvironment.Apply(definition, connectionsEndpoint);
                    var method = methods[definition.Name];
                    functions[definition.Name] = new GatewayFunction(definition.Name, HandlerName.Parse(definition.Handler, definition.Name), definition.Timeout,
                        FunctionBinder.Bind(method, app.Services, definition.Name));
                }
                var routes = api.Routes.Values.Select(r => new Route(r, functions[r.FunctionName], r.IntegrationTimeout ?? gatewayOptions.IntegrationTimeout));
                var authorizer = api.Routes.GetValueOrDefault(RouteTable.ConnectKey)?.Authorizer is { } a ? functions[a.FunctionName] : null;
                gateway.Start(new RouteTable(selection, routes, authorizer));
            }
            catch (Exception e)
            {
                gateway.Fail(e);
                throw;
            }

            var timeouts = new ConnectionTimeouts(gateway, app.Services.GetRequiredService<RequestClock>());
            return new LocalGateway(app, gateway, timeouts, templatePath, api with { Warnings = [.. api.Warnings, .. selection.Warnings] }, port, options.Stage)
            {
                PublishKey = options.PublishKey,
                ManagementBasePath = gatewayOptions.ManagementBasePath.Length == 0 ? "" : gatewayOptions.ManagementBasePath + "/",
            };
        }
        catch
        {
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static WebApplication Build(LocalGatewayOptions options, GatewayOptions gatewayOptions, AllowedOrigins allowedOrigins)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(LocalGateway).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Production",
        });
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, options.Port);
            kestrel.AddServerHeader = false;
        });

        // Defaults that configuration can override (e.g. Logging__LogLevel__Default=Warning silences the event lines);
        // --quiet and --verbose override both.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Microsoft"] = "Warning",
                ["Logging:LogLevel:Microsoft.AspNetCore.SignalR.HubConnectionHandler"] = "None", // rejections are the gateway's own lines
                ["Logging:LogLevel:Microsoft.Extensions.Hosting.Internal.Host"] = "None", // start-up failures are reported in one line
            },
        });
        builder.Logging.ClearProviders();
        if (options.EventLevel is { } eventLevel) builder.Logging.AddFilter("Realtime", eventLevel);
        if (options.ConsoleLog)
        {
            builder.Logging.AddConsole(console =>
            {
                console.FormatterName = GatewayConsoleFormatter.Name;
                console.QueueFullMode = ConsoleLoggerQueueFullMode.DropWrite;
            });
            builder.Logging.AddConsoleFormatter<GatewayConsoleFormatter, ConsoleFormatterOptions>();
        }
        options.ConfigureLogging?.Invoke(builder.Logging);

        var services = builder.Services;
        services.AddSingleton(options.TimeProvider ?? TimeProvider.System);
        services.AddSingleton(gatewayOptions);
        services.AddSingleton<ConnectionTable>();
        services.AddSingleton<RequestClock>();
        services.AddSingleton(sp => new EventFactory(gatewayOptions.Stage, gatewayOptions.ApiId, gatewayOptions.Region, gatewayOptions.AccountId, sp.GetRequiredService<RequestClock>()));
        services.AddSingleton<FunctionInvoker>();
        services.AddSingleton<WebSocketGateway>();
        services.AddSingleton<ConnectionsService>();
        services.AddSingleton<LocalConnectionsClient>();
        services.Replace(ServiceDescriptor.Singleton<IConnectionsClient>(sp => sp.GetRequiredService<LocalConnectionsClient>()));
        services.AddSignalR(hub =>
        {
            hub.MaximumReceiveMessageSize = 4 * GatewayOptions.MaxMessageBytes; // the body limit itself is checked in Send
            hub.EnableDetailedErrors = false;
        });
        RealtimeServices.Add(services, options);
        options.ConfigureServices?.Invoke(services);

        var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Realtime.Local.Gateway");
        app.Use(HostCheck.Middleware(logger));
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        app.Use(GatewayMiddleware(gatewayOptions.Stage, allowedOrigins, logger));
        app.MapHub<GatewayHub>("/hub");
        RealtimeServices.Map(app, options);
        return app;
    }

    /// <summary>
    /// @connections and the stage's WebSocket endpoint; a WebSocket upgrade to any other stage is 403. The stage and the
    /// hub (negotiate included) first refuse pages of origins that are not allowed.
    /// </summary>
    private static Func<HttpContext, RequestDelegate, Task> GatewayMiddleware(string stage, AllowedOrigins allowedOrigins, ILogger logger)
    {
        var stagePath = new PathString("/" + stage);
        var hubPath = new PathString("/hub");
        return async (context, next) =>
        {
            var path = context.Request.Path;
            if (ConnectionsEndpoint.Matches(path, out var pathStage, out var connectionId))
            {
                await ConnectionsEndpoint.HandleAsync(context, context.RequestServices.GetRequiredService<ConnectionsService>(), pathStage, connectionId).ConfigureAwait(false);
                return;
            }
            var atStage = path == stagePath || path == stagePath.Add("/");
            if ((atStage || path.StartsWithSegments(hubPath)) && await OriginCheck.RefusedAsync(context, allowedOrigins, logger).ConfigureAwait(false)) return;
            if (atStage)
            {
                await WebSocketEndpoint.HandleAsync(context, context.RequestServices.GetRequiredService<WebSocketGateway>()).ConfigureAwait(false);
                return;
            }
            if (context.WebSockets.IsWebSocketRequest && !path.StartsWithSegments(hubPath))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{\"message\":\"Forbidden\"}").ConfigureAwait(false);
                return;
            }
            await next(context).ConfigureAwait(false);
        };
    }

    private static int BoundPort(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return new Uri(addresses.First()).Port;
    }

    /// <summary>Waits until the host is asked to stop (Ctrl+C or SIGTERM).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _timeouts.Dispose();
        await _gateway.DrainAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(false);
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
