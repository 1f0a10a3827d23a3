using System.IO.Compression;
using Realtime.Deployment.Tests.Infrastructure;

namespace Realtime.Deployment.Tests.Bootstrap;

/// <summary>The custom runtime's zip is what provided.al2023 runs: one executable <c>bootstrap</c> it can load.</summary>
public sealed class BootstrapZipTests
{
    [Fact]
    public async Task The_zip_holds_the_bootstrap_alone_at_its_root_with_mode_0755_and_a_fixed_time()
    {
        var artifacts = await BootstrapArtifacts.GetSharedAsync();
        using var zip = ZipFile.OpenRead(artifacts.ZipOf("ConnectFunction"));
        var entry = Assert.Single(zip.Entries);
        Assert.Equal("bootstrap", entry.FullName);
        Assert.Equal(Convert.ToInt32("100755", 8), entry.ExternalAttributes >>> 16);
        Assert.Equal(new DateTime(1980, 1, 1, 0, 0, 0), entry.LastWriteTime.DateTime);
    }

    [Fact]
    public async Task The_bootstrap_is_a_native_executable_for_the_architecture_its_template_names()
    {
        var artifacts = await BootstrapArtifacts.GetSharedAsync();
        // Without --arch, package.sh builds for this machine, so that what is tested here is what is deployed.
        var architecture = artifacts.Template["Globals"]!["Function"]!["Architectures"]![0]!.GetValue<string>();
        Assert.Equal(BootstrapArtifacts.HostArchitecture, architecture);

        var header = await Tool.RunAsync("readelf", ["--file-header", Path.Combine(artifacts.TaskRootOf("ConnectFunction"), "bootstrap")]);
        Assert.True(header.ExitCode == 0, header.ToString());
        Assert.Contains(architecture == "arm64" ? "AArch64" : "X86-64", header.Output);
        Assert.Contains("DYN (Position-Independent Executable file)", header.Output);
    }

    /// <summary>provided.al2023 has glibc 2.34: a bootstrap that needs a newer symbol would fail before its first line.</summary>
    [Fact]
    public async Task The_bootstrap_needs_no_glibc_newer_than_provided_al2023s()
    {
        var artifacts = await BootstrapArtifacts.GetSharedAsync();
        var symbols = await Tool.RunAsync("readelf", ["--dyn-syms", "--wide", Path.Combine(artifacts.TaskRootOf("ConnectFunction"), "bootstrap")]);
        Assert.True(symbols.ExitCode == 0, symbols.ToString());
        var versions = System.Text.RegularExpressions.Regex.Matches(symbols.Output, @"GLIBC_(\d+)\.(\d+)")
            .Select(match => new Version(int.Parse(match.Groups[1].Value), int.Parse(match.Groups[2].Value)))
            .ToList();
        Assert.NotEmpty(versions);
        Assert.True(versions.Max() <= new Version(2, 34), $"The bootstrap needs GLIBC_{versions.Max()}.");
    }
}
