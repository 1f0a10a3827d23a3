using Realtime.Deployment.Tests.Infrastructure;
using Realtime.Testing;

namespace Realtime.Deployment.Tests.Template;

/// <summary>AWS's own validators pass both templates: the one in the repository and the one package.sh writes.</summary>
public sealed class TemplateValidationTests
{
    [Fact]
    public async Task Cfn_lint_finds_no_error_and_no_warning_in_the_source_template()
    {
        var lint = await Tool.RunAsync("cfn-lint", [RepositoryFiles.Template]);
        Assert.True(lint.ExitCode == 0 && lint.Output.Trim().Length == 0, lint.ToString());
    }

    [Fact]
    public async Task Cfn_lint_finds_no_error_and_no_warning_in_the_packaged_template()
    {
        var artifacts = await PackagedArtifacts.GetSharedAsync();
        var lint = await Tool.RunAsync("cfn-lint", [artifacts.TemplatePath]);
        Assert.True(lint.ExitCode == 0 && lint.Output.Trim().Length == 0, lint.ToString());
    }

    [Fact]
    public async Task The_SAM_transform_succeeds_and_its_output_passes_cfn_lint()
    {
        var transformed = await GrantedPermissions.TransformAsync(RepositoryFiles.Template, new Dictionary<string, string>());
        Assert.Contains(transformed["Resources"]!.AsObject(), resource => resource.Value!["Type"]!.GetValue<string>() == "AWS::Lambda::Function");
        Assert.DoesNotContain(transformed["Resources"]!.AsObject(), resource => resource.Value!["Type"]!.GetValue<string>().StartsWith("AWS::Serverless::", StringComparison.Ordinal));

        var file = Path.Combine(Directory.CreateTempSubdirectory("realtime-transformed-").FullName, "transformed.json");
        await File.WriteAllTextAsync(file, transformed.ToJsonString());
        var lint = await Tool.RunAsync("cfn-lint", [file]);
        Assert.True(lint.ExitCode == 0 && lint.Output.Trim().Length == 0, lint.ToString());
    }
}
