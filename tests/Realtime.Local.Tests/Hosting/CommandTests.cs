using System.Net.WebSockets;
using Realtime.Local.Tests.Infrastructure;

namespace Realtime.Local.Tests.Hosting;

/// <summary>The one command: start on a free port, print the URLs, serve the project's template; clear failures.</summary>
public sealed class CommandTests
{
    private static string Url(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries).First(part => part.Contains("://", StringComparison.Ordinal));

    [Fact]
    public async Task The_host_prints_its_urls_and_serves_the_project_template()
    {
        await using var host = HostProcess.Start("--port", "0", "--allow-anonymous", "--template", RepositoryFiles.Template);

        var webSocketLine = await host.WaitForLineAsync(l => l.TrimStart().StartsWith("WebSocket", StringComparison.Ordinal)).DefaultTimeout(TimeSpan.FromSeconds(60));
        await host.WaitForLineAsync(l => l.StartsWith("Press Ctrl+C", StringComparison.Ordinal)).DefaultTimeout();
        var webSocket = new Uri(Url(webSocketLine));
        var port = webSocket.Port;
        Assert.Equal($"ws://127.0.0.1:{port}/local", webSocket.ToString());
        Assert.Contains($"http://127.0.0.1:{port}/hub", host.Output);
        Assert.Contains($"http://127.0.0.1:{port}/local/@connections", host.Output);
        Assert.Contains($"http://127.0.0.1:{port}/", host.Output);

        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(webSocket, CancellationToken.None).DefaultTimeout();
        await socket.SendTextAsync("""{"action":"ping","id":"7"}""");
        Assert.Equal("""{"type":"pong","id":"7"}""", await socket.ReceiveTextAsync());

        // One console line per event, naming the route.
        await host.WaitForLineAsync(l => l.Contains("$connect", StringComparison.Ordinal) && l.Contains(" 101 ", StringComparison.Ordinal)).DefaultTimeout();
        await host.WaitForLineAsync(l => l.Contains(" ping ", StringComparison.Ordinal) && l.Contains(" 200 ", StringComparison.Ordinal)).DefaultTimeout();
    }

    [Fact]
    public async Task Help_lists_the_options()
    {
        await using var host = HostProcess.Start("--help");

        Assert.Equal(0, await host.WaitForExitAsync().DefaultTimeout(TimeSpan.FromSeconds(60)));
        foreach (var option in new[] { "--port", "--stage", "--template", "--registry", "--dynamodb-endpoint", "--table", "--idle-timeout", "--max-duration", "--integration-timeout",
            "--max-inflight-per-connection", "--allow-origin" })
        {
            Assert.Contains(option, host.Output);
        }
    }

    [Fact]
    public async Task A_bad_option_fails_with_one_line()
    {
        await using var host = HostProcess.Start("--port", "seventy");

        Assert.Equal(2, await host.WaitForExitAsync().DefaultTimeout(TimeSpan.FromSeconds(60)));
        Assert.Equal("realtime-local: --port must be a number from 0 to 65535, not 'seventy'.", host.Error.Trim());
    }

    [Fact]
    public async Task A_template_that_is_not_a_websocket_api_fails_with_one_line()
    {
        var path = Path.Combine(Path.GetTempPath(), $"no-api-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, """{"Resources":{"Table":{"Type":"AWS::DynamoDB::Table","Properties":{}}}}""");
        try
        {
            await using var host = HostProcess.Start("--port", "0", "--template", path);

            Assert.Equal(1, await host.WaitForExitAsync().DefaultTimeout(TimeSpan.FromSeconds(60)));
            Assert.Equal($"realtime-local: {path} defines no AWS::ApiGatewayV2::Api with ProtocolType WEBSOCKET.", host.Error.Trim());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_handler_that_cannot_be_resolved_fails_with_one_line()
    {
        var path = Path.Combine(Path.GetTempPath(), $"missing-handler-{Guid.NewGuid():N}.json");
        var template = File.ReadAllText(GatewayFixture.TemplatePath("nested.json"))
            .Replace("Realtime.Local.Tests::Realtime.Local.Tests.Handlers.RecordingFunction::FunctionHandler", "Realtime.Router::Realtime.Router.Functions.NoSuchFunction::FunctionHandler");
        await File.WriteAllTextAsync(path, template);
        try
        {
            await using var host = HostProcess.Start("--port", "0", "--template", path);

            Assert.Equal(1, await host.WaitForExitAsync().DefaultTimeout(TimeSpan.FromSeconds(60)));
            Assert.Equal(
                "realtime-local: Function RecordFn: type 'Realtime.Router.Functions.NoSuchFunction' of handler Realtime.Router::Realtime.Router.Functions.NoSuchFunction::FunctionHandler is not in assembly Realtime.Router.",
                host.Error.Trim());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
