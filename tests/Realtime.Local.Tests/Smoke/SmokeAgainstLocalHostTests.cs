using System.Text.Json;
using Realtime.Local.Tests.EndToEnd;

namespace Realtime.Local.Tests.Smoke;

/// <summary>
/// The smoke command (tools/Realtime.Smoke) against the local host as a developer runs it: the project's template and
/// functions, development tokens, the publish endpoint with its key.
/// </summary>
public sealed class SmokeAgainstLocalHostTests(RealtimeHostFixture host) : IClassFixture<RealtimeHostFixture>
{
    private static readonly string[] Steps = ["token", "connect", "ping", "subscribe", "publish", "receive"];

    private string LocalUrl => host.Gateway.BaseUri.ToString();

    [Fact]
    public async Task Every_step_passes_and_the_command_exits_0()
    {
        var result = await SmokeCommand.RunAsync("--local", LocalUrl, "--publish-key", RealtimeHostFixture.PublishKey).DefaultTimeout(TimeSpan.FromSeconds(120));

        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (var step in Steps)
        {
            Assert.Matches($@"^{step} +ok +\d+ ms", result.Step(step) ?? $"no {step} line in:\n{result}");
        }
        Assert.Contains("delivered to 1 connection", result.Step("publish"));
        Assert.Contains("round trip from publish", result.Step("receive"));
        Assert.StartsWith("passed: 6 steps", result.Lines[^1]);
        Assert.Equal("", result.Error);
    }

    [Fact]
    public async Task Json_lists_every_step_in_one_object()
    {
        var result = await SmokeCommand.RunAsync("--local", LocalUrl, "--publish-key", RealtimeHostFixture.PublishKey, "--json").DefaultTimeout(TimeSpan.FromSeconds(120));

        Assert.True(result.ExitCode == 0, result.ToString());
        using var report = JsonDocument.Parse(result.Output);
        Assert.True(report.RootElement.GetProperty("passed").GetBoolean());
        Assert.Equal(Steps, report.RootElement.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("step").GetString()));
        Assert.All(report.RootElement.GetProperty("steps").EnumerateArray(), s => Assert.Equal("ok", s.GetProperty("status").GetString()));
        Assert.True(report.RootElement.GetProperty("roundTripMs").GetInt64() >= 0);
    }

    [Fact]
    public async Task A_wrong_publish_key_fails_the_publish_step_with_401()
    {
        var result = await SmokeCommand.RunAsync("--local", LocalUrl, "--publish-key", "not-the-key").DefaultTimeout(TimeSpan.FromSeconds(120));

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Matches(@"^subscribe +ok ", result.Step("subscribe") ?? result.ToString());
        var publish = result.Step("publish") ?? result.ToString();
        Assert.Matches(@"^publish +FAILED +\d+ ms  POST /publish answered 401 Unauthorized: wrong publish key", publish);
        Assert.Null(result.Step("receive"));
        Assert.Equal("FAILED at publish (4 of 6 steps passed)", result.Lines[^1]);
    }

    [Fact]
    public async Task A_garbage_token_fails_the_connect_step_with_the_handshake_refusal()
    {
        var result = await SmokeCommand.RunAsync("--local", LocalUrl, "--publish-key", RealtimeHostFixture.PublishKey, "--token", "not.a.jwt").DefaultTimeout(TimeSpan.FromSeconds(120));

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Null(result.Step("token"));
        Assert.Matches(@"^connect +FAILED +\d+ ms  handshake refused with 403: the token was refused", result.Step("connect") ?? result.ToString());
        Assert.Null(result.Step("ping"));
        Assert.DoesNotContain("not.a.jwt", result.Output);
        Assert.Equal("FAILED at connect (0 of 5 steps passed)", result.Lines[^1]);
    }

    [Fact]
    public async Task A_token_in_REALTIME_TOKEN_is_used_and_named_when_refused()
    {
        var result = await SmokeCommand.RunAsync(new Dictionary<string, string> { ["REALTIME_TOKEN"] = "not.a.jwt" },
            "--local", LocalUrl, "--publish-key", RealtimeHostFixture.PublishKey).DefaultTimeout(TimeSpan.FromSeconds(120));

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Matches(@"^connect +FAILED .*handshake refused with 403: the token in REALTIME_TOKEN was refused", result.Step("connect") ?? result.ToString());
    }
}
