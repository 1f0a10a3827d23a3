using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Realtime.Local.Identity;
using Realtime.Testing;

namespace Realtime.Local.Tests.Identity;

/// <summary>A real Kestrel server on a free loopback port that only adds and maps the development tokens.</summary>
public sealed class DevelopmentTokenHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DevelopmentTokenHost(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
        Http = new HttpClient { BaseAddress = new Uri(baseUrl) };
    }

    public string BaseUrl { get; }
    public HttpClient Http { get; }
    public DevelopmentTokenIssuer Issuer => _app.Services.GetRequiredService<DevelopmentTokenIssuer>();

    public static async Task<DevelopmentTokenHost> StartAsync(Action<DevelopmentTokenOptions>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddDevelopmentTokens(configure);
        var app = builder.Build();
        app.MapDevelopmentTokens();
        await app.StartAsync().DefaultTimeout();
        return new DevelopmentTokenHost(app, app.Urls.Single().TrimEnd('/'));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync().DefaultTimeout();
        await _app.DisposeAsync().DefaultTimeout();
    }
}
