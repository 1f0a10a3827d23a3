using Realtime.Deployment.Tests.Infrastructure;
using Realtime.Testing.Lambda;

namespace Realtime.Deployment.Tests.Functions;

/// <summary>A packaged function started without its configuration fails its initialization clearly, as Lambda shows it.</summary>
public sealed class FunctionStartupTests
{
    [Fact]
    public async Task A_missing_variable_fails_initialization_with_its_name_in_one_log_line_and_the_error()
    {
        var artifacts = await PackagedArtifacts.GetSharedAsync();
        var template = artifacts.Template;
        // The template's environment for $connect, less the table.
        var environment = SamTemplate.ResolveEnvironment(template, "ConnectFunction", new Dictionary<string, string>(), new Dictionary<string, string> { ["REALTIME_TABLE"] = "" });
        environment.Remove("REALTIME_TABLE");
        environment["AWS_REGION"] = "us-east-1";

        await using var function = await ManagedRuntimeProcess.StartAsync(
            artifacts.TaskRootOf("ConnectFunction"), SamTemplate.HandlerOf(template, "ConnectFunction"), environment);
        var error = await function.RuntimeApi.InitError.DefaultTimeout();
        Assert.NotEqual(0, await function.WaitForExitAsync());

        // The managed runtime reports the constructor's exception as the cause of the reflection wrapper.
        Assert.Equal("TargetInvocationException", error["errorType"]!.GetValue<string>());
        Assert.Equal("FunctionConfigurationException", error["cause"]!["errorType"]!.GetValue<string>());
        Assert.Contains("REALTIME_TABLE", error["cause"]!["errorMessage"]!.GetValue<string>());

        var logged = Assert.Single(function.LogLines, line => line.TryGetProperty("event", out var name) && name.GetString() == "Misconfigured");
        Assert.Contains("REALTIME_TABLE", logged.GetProperty("message").GetString());
        Assert.DoesNotContain(function.Output, line => line.Contains("NullReferenceException", StringComparison.Ordinal));
    }
}
