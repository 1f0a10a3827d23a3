using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Realtime.Testing;

namespace Realtime.Connect.Tests.Authorization;

/// <summary>
/// A real Kestrel server on a free loopback port playing the token issuer: it publishes its JWKS at
/// <c>{Issuer}/.well-known/jwks.json</c>, where Cognito does, and counts the requests.
/// </summary>
public sealed class JwksServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private volatile JsonObject _document = new() { ["keys"] = new JsonArray() };
    private volatile int _statusCode = StatusCodes.Status200OK;
    private int _requests;

    private JwksServer(WebApplication app) => _app = app;

    public string Issuer { get; private set; } = "";
    public Uri JwksUrl => new(Issuer + "/.well-known/jwks.json");
    public int Requests => Volatile.Read(ref _requests);

    public static async Task<JwksServer> StartAsync(params TestKey[] keys)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new JwksServer(app);
        server.Publish(keys);

        app.MapGet("/pool/.well-known/jwks.json", (HttpContext context) =>
        {
            Interlocked.Increment(ref server._requests);
            return server._statusCode == StatusCodes.Status200OK
                ? Results.Text(server._document.ToJsonString(), "application/json")
                : Results.StatusCode(server._statusCode);
        });

        await app.StartAsync().DefaultTimeout();
        server.Issuer = app.Urls.Single().TrimEnd('/') + "/pool";
        return server;
    }

    public void Publish(params TestKey[] keys) => Publish(keys.Select(key => key.PublicJwk()).ToArray());

    public void Publish(params JsonObject[] jwks) =>
        _document = new JsonObject { ["keys"] = new JsonArray(jwks.Select(jwk => (JsonNode)jwk.DeepClone()).ToArray()) };

    public void Fail(int statusCode) => _statusCode = statusCode;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().DefaultTimeout();
        await _app.DisposeAsync().DefaultTimeout();
    }
}
