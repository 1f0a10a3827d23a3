using Realtime.Testing;
using Realtime.Testing.Browser;

namespace Realtime.Local.Tests.EndToEnd;

/// <summary>The demo page in headless Chromium (tests/browser/demo.spec.mjs): tokens, a wishlist event, a chat, who.</summary>
public sealed class DemoPageBrowserTests(RealtimeHostFixture host) : IClassFixture<RealtimeHostFixture>
{
    [Fact]
    public async Task TwoBrowsersWatchAWishlistAndChat()
    {
        await BrowserTools.EnsureInstalledAsync().DefaultTimeout(TimeSpan.FromMinutes(15));

        var (exitCode, output) = await BrowserTools.RunScriptAsync("demo.spec.mjs", [host.Gateway.BaseUri.ToString().TrimEnd('/'), RealtimeHostFixture.PublishKey], TimeSpan.FromMinutes(2))
            .DefaultTimeout(TimeSpan.FromMinutes(3));

        Assert.True(exitCode == 0, output);
        foreach (var step in new[] { "connected", "watching", "published", "chatted", "who" }) Assert.Contains($"{{\"step\":\"{step}\"}}", output);
    }
}
