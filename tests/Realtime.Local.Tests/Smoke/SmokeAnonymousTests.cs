using Realtime.Local.Tests.Hosting;

namespace Realtime.Local.Tests.Smoke;

/// <summary>A stack deployed with AllowAnonymous=true: anonymous connections get in, but the default policy lets them subscribe to nothing.</summary>
public sealed class SmokeAnonymousTests
{
    [Fact]
    public async Task An_anonymous_connection_fails_at_subscribe_and_the_reason_names_the_default_policy()
    {
        await using var host = HostProcess.Start("--port", "0", "--allow-anonymous", "--template", RepositoryFiles.Template);
        var webSocket = (await host.WaitForLineAsync(l => l.TrimStart().StartsWith("WebSocket", StringComparison.Ordinal)).DefaultTimeout(TimeSpan.FromSeconds(60)))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1];

        // The queue is never reached: the run stops at subscribe, before anything is published.
        var result = await SmokeCommand.RunAsync("--url", webSocket, "--queue-url", "https://sqs.us-east-1.amazonaws.com/000000000000/never-used")
            .DefaultTimeout(TimeSpan.FromSeconds(120));

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Matches(@"^connect +ok +\d+ ms  anonymous", result.Step("connect") ?? result.ToString());
        Assert.Matches(@"^ping +ok ", result.Step("ping") ?? result.ToString());
        var subscribe = result.Step("subscribe") ?? result.ToString();
        Assert.Contains("FAILED", subscribe);
        Assert.Contains("error forbidden", subscribe);
        Assert.Contains("An anonymous connection may subscribe to nothing under the default topic policy", subscribe);
        Assert.Null(result.Step("publish"));
    }
}
