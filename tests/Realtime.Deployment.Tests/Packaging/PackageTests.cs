using System.IO.Compression;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Realtime.Deployment.Tests.Infrastructure;

namespace Realtime.Deployment.Tests.Packaging;

/// <summary>What <c>bash eng/package.sh</c> writes is what Lambda and the AWS CLI need, and nothing changes on a re-run.</summary>
public sealed class PackageTests
{
    public static TheoryData<string> Functions => new(SamTemplate.FunctionIds(SamTemplate.Source));

    [Theory]
    [MemberData(nameof(Functions))]
    public async Task A_function_zip_holds_its_assembly_with_the_files_the_managed_runtime_starts_it_with(string functionId)
    {
        var artifacts = await PackagedArtifacts.GetSharedAsync();
        var assembly = SamTemplate.HandlerOf(artifacts.Template, functionId).Split("::")[0];
        using var zip = ZipFile.OpenRead(artifacts.ZipOf(functionId));
        var names = zip.Entries.Select(entry => entry.FullName).ToHashSet();

        // Lambda's dotnet bootstrap runs: dotnet exec --depsfile {Assembly}.deps.json --runtimeconfig {Assembly}.runtimeconfig.json
        Assert.Contains($"{assembly}.dll", names);
        Assert.Contains($"{assembly}.deps.json", names);
        Assert.Contains($"{assembly}.runtimeconfig.json", names);
        Assert.DoesNotContain(names, name => name.Contains('/') || name.EndsWith(".pdb", StringComparison.Ordinal));

        using var runtimeConfig = zip.GetEntry($"{assembly}.runtimeconfig.json")!.Open();
        var framework = JsonNode.Parse(runtimeConfig)!["runtimeOptions"]!["framework"]!;
        Assert.Equal("Microsoft.NETCore.App", framework["name"]!.GetValue<string>());
        Assert.StartsWith("10.0.", framework["version"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public async Task The_assemblies_of_a_zip_are_portable_IL_that_loads_on_arm64_and_x86_64(string functionId)
    {
        var artifacts = await PackagedArtifacts.GetSharedAsync();
        var root = artifacts.TaskRootOf(functionId);
        foreach (var dll in Directory.GetFiles(root, "*.dll"))
        {
            using var pe = new PEReader(File.OpenRead(dll));
            var corFlags = pe.PEHeaders.CorHeader!.Flags;
            Assert.True(pe.PEHeaders.CoffHeader.Machine == Machine.I386 && corFlags.HasFlag(CorFlags.ILOnly) && !corFlags.HasFlag(CorFlags.Requires32Bit),
                $"{Path.GetFileName(dll)} is {pe.PEHeaders.CoffHeader.Machine}/{corFlags}, not AnyCPU IL.");
        }
    }

    [Fact]
    public async Task A_changed_API_gets_a_new_deployment_and_an_unchanged_API_keeps_its_deployment()
    {
        var folder = Directory.CreateTempSubdirectory("realtime-deployment-id-").FullName;
        var source = SamTemplate.Source;
        foreach (var functionId in SamTemplate.FunctionIds(source))
        {
            // Absolute CodeUris, so the copies can live outside the repository.
            var properties = SamTemplate.Function(source, functionId)["Properties"]!;
            properties["CodeUri"] = Path.Combine(RepositoryFiles.Root, properties["CodeUri"]!.GetValue<string>());
        }
        var changed = source.DeepClone().AsObject();
        changed["Resources"]!["WhoRoute"]!["Properties"]!["RouteKey"] = "members";

        var unchanged1 = await DeploymentIdAsync(folder, "same-1", source);
        var unchanged2 = await DeploymentIdAsync(folder, "same-2", source);
        var renamed = await DeploymentIdAsync(folder, "changed", changed);

        Assert.Equal(unchanged1, unchanged2);
        Assert.NotEqual(unchanged1, renamed);
        Assert.StartsWith("Deployment", renamed);
    }

    /// <summary>
    /// A rebuild from nothing of the same code writes the same bytes, so a fresh checkout packaging an unchanged
    /// commit uploads nothing new and updates no function.
    /// </summary>
    [Fact]
    public async Task Packaging_the_same_code_again_from_a_clean_folder_writes_the_same_bytes()
    {
        var folder = Directory.CreateTempSubdirectory("realtime-package-again-").FullName;
        var first = await PackageAsync(folder);
        foreach (var built in new[] { "obj-build", "publish", "lambda" }) Directory.Delete(Path.Combine(folder, built), recursive: true);
        File.Delete(Path.Combine(folder, "serverless.template"));
        var second = await PackageAsync(folder);

        Assert.Equal(first, second);
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task The_AWS_CLI_packages_the_template_uploading_each_zip_unchanged()
    {
        var artifacts = await PackagedArtifacts.GetSharedAsync();
        await using var s3 = await S3StandIn.StartAsync();

        var packaged = await s3.PackageAsync(artifacts.TemplatePath);
        foreach (var functionId in SamTemplate.FunctionIds(packaged))
        {
            var codeUri = SamTemplate.Function(packaged, functionId)["Properties"]!["CodeUri"]!.GetValue<string>();
            var zip = await File.ReadAllBytesAsync(artifacts.ZipOf(functionId));
            // Uploaded as built, under the MD5 of its bytes: an unchanged zip is never uploaded or deployed again.
            Assert.Equal($"s3://realtime-artifacts/{Convert.ToHexStringLower(MD5.HashData(zip))}", codeUri);
            Assert.Equal(zip, s3.Objects[codeUri["s3://".Length..]]);
        }
    }

    private static async Task<string> DeploymentIdAsync(string folder, string name, JsonObject template)
    {
        var input = Path.Combine(folder, name + ".template");
        var output = Path.Combine(folder, name + ".packaged.template");
        await File.WriteAllTextAsync(input, template.ToJsonString());
        var write = await Tool.RunAsync("python3", ["eng/package_template.py", "write", input, output]);
        Assert.True(write.ExitCode == 0, write.ToString());
        return Assert.Single(SamTemplate.ResourcesOfType(JsonNode.Parse(await File.ReadAllTextAsync(output))!.AsObject(), "AWS::ApiGatewayV2::Deployment"));
    }

    /// <summary>Packages into <paramref name="folder"/> and returns the SHA-256 of every zip and of the template, by name.</summary>
    private static async Task<Dictionary<string, string>> PackageAsync(string folder)
    {
        var run = await Tool.RunAsync("bash", ["eng/package.sh", "--output", folder], TimeSpan.FromMinutes(6));
        Assert.True(run.ExitCode == 0, run.ToString());
        return Directory.GetFiles(Path.Combine(folder, "lambda")).Append(Path.Combine(folder, "serverless.template"))
            .ToDictionary(file => Path.GetFileName(file), file => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file))));
    }
}
