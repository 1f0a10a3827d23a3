using Realtime.Deployment.Tests.Functions;
using Realtime.Deployment.Tests.Infrastructure;

namespace Realtime.Deployment.Tests.Bootstrap;

/// <summary>A function that cannot start under the custom runtime fails its initialization clearly, as Lambda shows it.</summary>
public sealed class BootstrapStartupTests
{
    [Fact]
    public async Task A_missing_table_fails_initialization_with_the_functions_own_exception_and_the_process_ends()
    {
        var artifacts = await BootstrapArtifacts.GetSharedAsync();
        var template = artifacts.Template;
        var environment = SamTemplate.ResolveEnvironment(template, "ConnectFunction", PackagedStack.Parameters, new Dictionary<string, string> { ["REALTIME_TABLE"] = "" });
        environment.Remove("REALTIME_TABLE");
        environment["AWS_REGION"] = "us-east-1";

        await using var function = await BootstrapProcess.StartAsync(
            artifacts.TaskRootOf("ConnectFunction"), SamTemplate.HandlerOf(template, "ConnectFunction"), "ConnectFunction", environment);
        var error = await function.RuntimeApi.InitError.DefaultTimeout();
        Assert.NotEqual(0, await function.WaitForExitAsync());

        // The constructor's own exception, not a reflection wrapper around it: nothing is created by reflection here.
        Assert.Equal("FunctionConfigurationException", error["errorType"]!.GetValue<string>());
        Assert.Contains("REALTIME_TABLE", error["errorMessage"]!.GetValue<string>());
        Assert.Null(error["cause"]);

        var logged = Assert.Single(function.LogLines, line => line.TryGetProperty("event", out var name) && name.GetString() == "Misconfigured");
        Assert.Contains("REALTIME_TABLE", logged.GetProperty("message").GetString());
    }

    [Fact]
    public async Task An_unknown_handler_fails_initialization_naming_it_and_the_process_ends()
    {
        var artifacts = await BootstrapArtifacts.GetSharedAsync();
        const string handler = "Realtime.Connect::Realtime.Connect.Functions.NoSuchFunction::FunctionHandler";

        await using var function = await BootstrapProcess.StartAsync(
            artifacts.TaskRootOf("ConnectFunction"), handler, "ConnectFunction", new Dictionary<string, string> { ["AWS_REGION"] = "us-east-1" });
        var error = await function.RuntimeApi.InitError.DefaultTimeout();
        Assert.NotEqual(0, await function.WaitForExitAsync());

        Assert.Equal("Runtime.HandlerNotFound", error["errorType"]!.GetValue<string>());
        Assert.Contains(handler, error["errorMessage"]!.GetValue<string>());
        Assert.Single(function.LogLines, line => line.TryGetProperty("event", out var name) && name.GetString() == "HandlerNotFound");
    }
}
