namespace Realtime.Local.Tests.Smoke;

/// <summary>Options the smoke command cannot run: exit code 2 and one line that names the problem, before anything connects.</summary>
public sealed class SmokeOptionsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("smoke-options-").FullName;

    [Fact]
    public async Task No_target_is_refused()
    {
        var result = await SmokeCommand.RunAsync().DefaultTimeout(TimeSpan.FromSeconds(60));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("realtime-smoke: no target: give --stack-outputs FILE, --url with --queue-url, or --local URL. See --help.", result.Error.Trim());
        Assert.Equal("", result.Output);
    }

    [Fact]
    public async Task A_stack_outputs_file_that_is_not_json_is_refused()
    {
        var file = Write("outputs.json", """[{"OutputKey": "WebSocketUrl", """);

        var result = await SmokeCommand.RunAsync("--stack-outputs", file).DefaultTimeout(TimeSpan.FromSeconds(60));

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"realtime-smoke: --stack-outputs: {file} is not JSON", result.Error.Trim());
        Assert.Contains("aws cloudformation describe-stacks --stack-name NAME --query \"Stacks[0].Outputs\"", result.Error);
    }

    [Fact]
    public async Task A_stack_outputs_file_without_PublishQueueUrl_is_refused()
    {
        var file = Write("outputs.json", """
            [
              {"OutputKey": "WebSocketUrl", "OutputValue": "wss://abc123defg.execute-api.eu-west-1.amazonaws.com/prod"},
              {"OutputKey": "ConnectionsTableName", "OutputValue": "realtime-ConnectionsTable-1X2Y3Z"}
            ]
            """);

        var result = await SmokeCommand.RunAsync("--stack-outputs", file).DefaultTimeout(TimeSpan.FromSeconds(60));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
            $"realtime-smoke: --stack-outputs: {file} has no PublishQueueUrl output (it has WebSocketUrl, ConnectionsTableName); is it a stack deployed from serverless.template?",
            result.Error.Trim());
    }

    [Theory]
    [InlineData("--local http://127.0.0.1:4000", "--local needs --publish-key KEY")]
    [InlineData("--local http://127.0.0.1:4000 --publish-key k12345678 --queue-url https://sqs.eu-west-1.amazonaws.com/1/q", "--queue-url is for a deployed stack")]
    [InlineData("--url wss://abc.execute-api.eu-west-1.amazonaws.com/prod", "--url needs --queue-url")]
    [InlineData("--url https://abc.execute-api.eu-west-1.amazonaws.com/prod --queue-url https://sqs.eu-west-1.amazonaws.com/1/q", "--url must be a ws:// or wss:// URL")]
    [InlineData("--url wss://x/prod --queue-url https://queue.example.com/1/q", "cannot tell the region from the queue URL")]
    [InlineData("--local http://127.0.0.1:4000 --publish-key k12345678 --timeout 0", "--timeout must be a number of seconds")]
    [InlineData("--local http://127.0.0.1:4000 --publish-key k12345678 --topic wishlist:*", "--topic may hold only letters, digits")]
    [InlineData("--local http://127.0.0.1:4000 --publish-key k12345678 --verbose", "unknown option '--verbose'")]
    public async Task Other_options_that_cannot_be_run_are_refused(string args, string message)
    {
        var result = await SmokeCommand.RunAsync(args.Split(' ')).DefaultTimeout(TimeSpan.FromSeconds(60));

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("realtime-smoke: ", result.Error);
        Assert.Contains(message, result.Error);
    }

    [Fact]
    public async Task Help_lists_the_options_and_exits_0()
    {
        var result = await SmokeCommand.RunAsync("--help").DefaultTimeout(TimeSpan.FromSeconds(60));

        Assert.Equal(0, result.ExitCode);
        foreach (var option in new[] { "--stack-outputs", "--url", "--queue-url", "--local", "--publish-key", "--token", "REALTIME_TOKEN", "--topic", "--timeout", "--json" })
        {
            Assert.Contains(option, result.Output);
        }
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
