using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Realtime.Local.Hosting;

namespace Realtime.Local.Tests.Infrastructure;

/// <summary>
/// A real local gateway on 127.0.0.1 with a free port, started once per test class from a test template, with an
/// <see cref="EventRecorder"/> in its services for the test functions.
/// </summary>
public abstract class GatewayFixture : IAsyncLifetime
{
    protected abstract string Template { get; }

    protected virtual void Configure(LocalGatewayOptions options)
    {
    }

    public EventRecorder Recorder { get; } = new();

    public LocalGateway Gateway { get; private set; } = null!;

    public static string TemplatePath(string name) => Path.Combine(AppContext.BaseDirectory, "Templates", name);

    public async Task InitializeAsync()
    {
        var options = new LocalGatewayOptions
        {
            Port = 0,
            TemplatePath = TemplatePath(Template),
            ConsoleLog = false,
            ApplyFunctionEnvironment = false,
            ConfigureServices = services => services.AddSingleton(Recorder),
        };
        Configure(options);
        Gateway = await LocalGateway.StartAsync(options).DefaultTimeout();
    }

    public async Task DisposeAsync() => await Gateway.DisposeAsync().AsTask().DefaultTimeout();

    public Uri WebSocketUri(string? query = null) => new(Gateway.WebSocketUri + (query is null ? "" : "?" + query));

    /// <summary>Connects a client; the handshake must succeed.</summary>
    public async Task<ClientWebSocket> ConnectAsync(string? query = null, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        configure?.Invoke(socket.Options);
        await socket.ConnectAsync(WebSocketUri(query), CancellationToken.None).DefaultTimeout();
        return socket;
    }

    /// <summary>Attempts a connection that must be rejected; returns the HTTP status of the rejection.</summary>
    public async Task<int> RejectedStatusAsync(string? query = null, Action<ClientWebSocketOptions>? configure = null)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        configure?.Invoke(socket.Options);
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(WebSocketUri(query), CancellationToken.None).DefaultTimeout());
        return (int)socket.HttpStatusCode;
    }

    /// <summary>The $connect event of the connection the client just opened (the newest with this query marker).</summary>
    public Task<RecordedEvent> ConnectEventAsync(string marker) =>
        Recorder.WaitAsync(e => e.EventType == "CONNECT" && e.Function != "AuthorizerFunction" && e.Root.TryGetProperty("queryStringParameters", out var q)
            && q.TryGetProperty("marker", out var m) && m.GetString() == marker).DefaultTimeout();
}

public sealed class GatewayTemplateFixture : GatewayFixture
{
    protected override string Template => "gateway.json";
}

public sealed class AuthorizerTemplateFixture : GatewayFixture
{
    protected override string Template => "authorizer.json";
}

public sealed class NestedTemplateFixture : GatewayFixture
{
    protected override string Template => "nested.json";
}

public sealed class ApiKeyTemplateFixture : GatewayFixture
{
    protected override string Template => "apikey.json";
}

/// <summary>The gateway template with $disconnect delivery switched off (API Gateway only promises best effort).</summary>
public sealed class NoDisconnectFixture : GatewayFixture
{
    protected override string Template => "gateway.json";

    protected override void Configure(LocalGatewayOptions options) => options.DeliverDisconnect = false;
}

/// <summary>The gateway template, with pages of one other origin allowed to connect.</summary>
public sealed class AllowedOriginFixture : GatewayFixture
{
    public const string Origin = "https://app.example.com";

    protected override string Template => "gateway.json";

    protected override void Configure(LocalGatewayOptions options) => options.AllowedOrigins.Add(Origin);
}

/// <summary>The gateway template, with pages of any origin allowed to connect (<c>--allow-origin *</c>).</summary>
public sealed class AnyOriginFixture : GatewayFixture
{
    protected override string Template => "gateway.json";

    protected override void Configure(LocalGatewayOptions options) => options.AllowedOrigins.Add("*");
}

/// <summary>A template whose <c>hold</c> route waits on an <see cref="InvocationHold"/>, with a small in-flight bound.</summary>
public sealed class BackpressureFixture : GatewayFixture
{
    public const int Bound = 4;

    public InvocationHold Hold { get; } = new();

    protected override string Template => "backpressure.json";

    protected override void Configure(LocalGatewayOptions options)
    {
        options.MaxInFlightPerConnection = Bound;
        var services = options.ConfigureServices;
        options.ConfigureServices = s =>
        {
            services?.Invoke(s);
            s.AddSingleton(Hold);
        };
    }
}
