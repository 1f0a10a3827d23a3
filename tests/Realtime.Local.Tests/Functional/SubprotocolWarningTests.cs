using System.Text;
using Microsoft.Extensions.Logging;
using Realtime.Connect.Hosting;
using Realtime.Local.Hosting;
using Realtime.Local.Tests.Infrastructure;

namespace Realtime.Local.Tests.Functional;

/// <summary>The gateway's own log lines, captured as JSON lines.</summary>
public sealed class LoggedGatewayFixture : GatewayFixture
{
    private readonly MemoryStream _log = new();

    protected override string Template => "gateway.json";

    protected override void Configure(LocalGatewayOptions options) =>
        options.ConfigureLogging = logging => logging.AddProvider(new JsonLinesLoggerProvider(_log, LogLevel.Information));

    public async Task<string> WaitForLogAsync(string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            string log;
            lock (_log) log = Encoding.UTF8.GetString(_log.ToArray());
            if (log.Contains(text, StringComparison.Ordinal) || DateTime.UtcNow > deadline) return log;
            await Task.Delay(20).DefaultTimeout();
        }
    }
}

/// <summary>
/// A $connect answer that would make a browser abort the handshake on AWS completes here without a subprotocol, and
/// says so in a warning, so the mistake is found locally rather than in production.
/// </summary>
public sealed class SubprotocolWarningTests(LoggedGatewayFixture fixture) : IClassFixture<LoggedGatewayFixture>
{
    [Fact]
    public async Task A_subprotocol_the_client_did_not_offer_is_warned_about()
    {
        using var socket = await fixture.ConnectAsync("protocol=unoffered&marker=warn-unoffered", o => o.AddSubProtocol("graphql-ws"));

        Assert.Contains("which the client did not offer; a browser would abort this handshake on AWS", await fixture.WaitForLogAsync("did not offer"));
    }

    [Fact]
    public async Task Several_subprotocols_are_warned_about()
    {
        using var socket = await fixture.ConnectAsync("protocol=a,b&marker=warn-several", o =>
        {
            o.AddSubProtocol("a");
            o.AddSubProtocol("b");
        });

        Assert.Contains("returned 2 Sec-WebSocket-Protocol values, not exactly one", await fixture.WaitForLogAsync("not exactly one"));
    }
}
