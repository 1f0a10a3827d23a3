using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Realtime.Deployment.Tests.Infrastructure;
using Realtime.Testing;

namespace Realtime.Deployment.Tests.Bootstrap;

/// <summary>
/// <c>FunctionRuntime</c> chooses the runtime; each template package.sh writes allows only the runtime its zips run
/// on. The custom runtime's template passes AWS's validators, runs every function from the one bootstrap zip, and
/// grants each function exactly what the managed template grants it.
/// </summary>
public sealed class CustomRuntimeTemplateTests
{
    [Fact]
    public void The_source_template_offers_both_runtimes_and_defaults_to_the_managed_one()
    {
        var source = SamTemplate.Source;
        var parameter = source["Parameters"]!["FunctionRuntime"]!;
        Assert.Equal("dotnet10", parameter["Default"]!.GetValue<string>());
        Assert.Equal(["dotnet10", "provided.al2023"], parameter["AllowedValues"]!.AsArray().Select(value => value!.GetValue<string>()));
        Assert.Equal("FunctionRuntime", source["Globals"]!["Function"]!["Runtime"]!["Ref"]!.GetValue<string>());
    }

    [Fact]
    public async Task Each_packaged_template_allows_only_the_runtime_its_zips_run_on()
    {
        var artifacts = await BootstrapArtifacts.GetSharedAsync();
        var managed = JsonNode.Parse(await File.ReadAllTextAsync(artifacts.ManagedTemplatePath))!;
        Assert.Equal(["dotnet10"], AllowedRuntimes(managed));
        Assert.Equal(["provided.al2023"], AllowedRuntimes(artifacts.Template));
        Assert.Equal("provided.al2023", artifacts.Template["Parameters"]!["FunctionRuntime"]!["Default"]!.GetValue<string>());
    }

    [Fact]
    public async Task Cfn_lint_finds_no_error_and_no_warning_in_the_custom_runtime_template()
    {
        var artifacts = await BootstrapArtifacts.GetSharedAsync();
        var lint = await Tool.RunAsync("cfn-lint", [artifacts.TemplatePath]);
        Assert.True(lint.ExitCode == 0 && lint.Output.Trim().Length == 0, lint.ToString());
    }

    [Fact]
    public async Task The_SAM_transform_runs_every_function_on_provided_al2023_from_the_bootstrap_zip_with_its_own_handler()
    {
        var artifacts = await BootstrapArtifacts.GetSharedAsync();
        var transformed = await GrantedPermissions.TransformAsync(artifacts.TemplatePath, new Dictionary<string, string> { ["AllowAnonymous"] = "true" });
        var resources = transformed["Resources"]!.AsObject();
        var zip = $"lambda/bootstrap-{BootstrapArtifacts.HostArchitecture}.zip";
        foreach (var functionId in SamTemplate.FunctionIds(artifacts.Template))
        {
            var function = resources[functionId]!["Properties"]!;
            Assert.Equal("FunctionRuntime", function["Runtime"]!["Ref"]!.GetValue<string>());
            Assert.Equal([BootstrapArtifacts.HostArchitecture], function["Architectures"]!.AsArray().Select(value => value!.GetValue<string>()));
            Assert.EndsWith(zip, function["Code"]!["S3Key"]!.GetValue<string>());
            Assert.Equal(SamTemplate.HandlerOf(SamTemplate.Source, functionId), function["Handler"]!.GetValue<string>());
        }

        var file = Path.Combine(Directory.CreateTempSubdirectory("realtime-transformed-aot-").FullName, "transformed.json");
        await File.WriteAllTextAsync(file, transformed.ToJsonString());
        var lint = await Tool.RunAsync("cfn-lint", [file]);
        Assert.True(lint.ExitCode == 0 && lint.Output.Trim().Length == 0, lint.ToString());
    }

    [Fact]
    public async Task Every_function_is_granted_under_the_custom_runtime_what_it_is_granted_under_the_managed_one()
    {
        var artifacts = await BootstrapArtifacts.GetSharedAsync();
        var parameters = new Dictionary<string, string> { ["AllowAnonymous"] = "true" };
        var custom = await GrantedPermissions.TransformAsync(artifacts.TemplatePath, parameters);
        var managed = await GrantedPermissions.TransformAsync(artifacts.ManagedTemplatePath, parameters);
        foreach (var functionId in SamTemplate.FunctionIds(artifacts.Template))
        {
            var (customGrants, managedGrants) = (GrantedPermissions.Of(custom, functionId), GrantedPermissions.Of(managed, functionId));
            Assert.True(customGrants.Inline.SetEquals(managedGrants.Inline), functionId);
            Assert.True(customGrants.ManagedPolicies.SetEquals(managedGrants.ManagedPolicies), functionId);
        }
    }

    [Fact]
    public async Task The_AWS_CLI_packages_the_custom_runtime_template_uploading_the_one_bootstrap_zip()
    {
        var artifacts = await BootstrapArtifacts.GetSharedAsync();
        await using var s3 = await S3StandIn.StartAsync();

        var packaged = await s3.PackageAsync(artifacts.TemplatePath);
        var zip = await File.ReadAllBytesAsync(artifacts.ZipOf("ConnectFunction"));
        var key = $"s3://realtime-artifacts/{Convert.ToHexStringLower(MD5.HashData(zip))}";
        Assert.All(SamTemplate.FunctionIds(packaged), functionId =>
            Assert.Equal(key, SamTemplate.Function(packaged, functionId)["Properties"]!["CodeUri"]!.GetValue<string>()));
        Assert.Equal(zip, Assert.Single(s3.Objects).Value);
    }

    private static IEnumerable<string> AllowedRuntimes(JsonNode template) =>
        template["Parameters"]!["FunctionRuntime"]!["AllowedValues"]!.AsArray().Select(value => value!.GetValue<string>());
}
