using Microsoft.Extensions.Logging;
using Realtime.Local.Hosting;

namespace Realtime.Local.Tests.Hosting;

public sealed class CommandLineTests
{
    [Fact]
    public void Defaults_are_port_4000_stage_local_memory_registry_and_api_gateway_limits()
    {
        var options = CommandLine.Parse([]).Options!;

        Assert.Equal(4000, options.Port);
        Assert.Equal("local", options.Stage);
        Assert.Null(options.TemplatePath);
        Assert.Equal(RegistryKind.Memory, options.Registry);
        Assert.Equal(TimeSpan.FromMinutes(10), options.IdleTimeout);
        Assert.Equal(TimeSpan.FromHours(2), options.MaxDuration);
        Assert.Equal(TimeSpan.FromSeconds(29), options.IntegrationTimeout);
        Assert.Equal(10, options.MaxInFlightPerConnection);
        Assert.Empty(options.AllowedOrigins);
    }

    [Fact]
    public void Every_option_is_read()
    {
        var options = CommandLine.Parse([
            "--port", "0", "--stage", "dev", "--template", "t.json", "--registry", "dynamodb", "--dynamodb-endpoint", "http://localhost:8000",
            "--table", "conns", "--idle-timeout", "300ms", "--max-duration", "2m", "--integration-timeout=1.5s", "--parameter", "A=b=c",
            "--no-disconnect", "--verbose", "--max-inflight-per-connection", "3", "--allow-origin", "https://App.Example.com:443/",
            "--allow-origin=http://localhost:5173", "--allow-origin", "*",
        ]).Options!;

        Assert.Equal(0, options.Port);
        Assert.Equal("dev", options.Stage);
        Assert.Equal("t.json", options.TemplatePath);
        Assert.Equal(RegistryKind.DynamoDb, options.Registry);
        Assert.Equal(new Uri("http://localhost:8000"), options.DynamoDbEndpoint);
        Assert.Equal("conns", options.TableName);
        Assert.Equal(TimeSpan.FromMilliseconds(300), options.IdleTimeout);
        Assert.Equal(TimeSpan.FromMinutes(2), options.MaxDuration);
        Assert.Equal(TimeSpan.FromSeconds(1.5), options.IntegrationTimeout);
        Assert.Equal("b=c", options.Parameters["A"]);
        Assert.False(options.DeliverDisconnect);
        Assert.Equal(LogLevel.Debug, options.EventLevel);
        Assert.Equal(3, options.MaxInFlightPerConnection);
        Assert.Equal(["https://app.example.com", "http://localhost:5173", "*"], options.AllowedOrigins);
    }

    [Theory]
    [InlineData("--port", "70000", "--port must be a number from 0 to 65535, not '70000'.")]
    [InlineData("--stage", "a/b", "--stage must be letters, digits, '-' or '_' (at most 128), not 'a/b'.")]
    [InlineData("--registry", "redis", "--registry must be memory or dynamodb, not 'redis'.")]
    [InlineData("--idle-timeout", "soon", "--idle-timeout must be a duration like 250ms, 30s, 10m or 2h, not 'soon'.")]
    [InlineData("--max-duration", "0s", "--max-duration must be more than zero.")]
    [InlineData("--dynamodb-endpoint", "localhost:8000", "--dynamodb-endpoint must be an http(s) URL, not 'localhost:8000'.")]
    [InlineData("--max-inflight-per-connection", "0", "--max-inflight-per-connection must be a whole number of at least 1, not '0'.")]
    [InlineData("--max-inflight-per-connection", "-1", "--max-inflight-per-connection must be a whole number of at least 1, not '-1'.")]
    [InlineData("--max-inflight-per-connection", "ten", "--max-inflight-per-connection must be a whole number of at least 1, not 'ten'.")]
    [InlineData("--allow-origin", "app.example.com", "--allow-origin must be an origin such as https://app.example.com (scheme, host and port only) or *, not 'app.example.com'.")]
    [InlineData("--allow-origin", "https://app.example.com/page", "--allow-origin must be an origin such as https://app.example.com (scheme, host and port only) or *, not 'https://app.example.com/page'.")]
    [InlineData("--allow-origin", "ftp://app.example.com", "--allow-origin must be an origin such as https://app.example.com (scheme, host and port only) or *, not 'ftp://app.example.com'.")]
    [InlineData("--bogus", "1", "unknown option '--bogus' (see --help).")]
    public void A_bad_option_is_one_readable_error(string option, string value, string error)
    {
        var result = CommandLine.Parse([option, value]);

        Assert.Null(result.Options);
        Assert.Equal(error, result.Error);
    }

    [Fact]
    public void An_option_without_its_value_is_an_error()
    {
        Assert.Equal("--port needs a value.", CommandLine.Parse(["--port"]).Error);
    }

    [Fact]
    public void Help_is_recognised() => Assert.True(CommandLine.Parse(["-h"]).ShowHelp);
}
