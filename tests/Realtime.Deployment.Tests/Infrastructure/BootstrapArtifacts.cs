using System.IO.Compression;
using System.Text.Json.Nodes;
using Realtime.Testing;

namespace Realtime.Deployment.Tests.Infrastructure;

/// <summary>
/// <c>bash eng/package.sh --aot</c>, run once for the test assembly into a folder of its own: besides the managed
/// zips, the custom runtime's zip for this machine's architecture and the template that deploys it, this machine's
/// Native AOT bootstrap and the JIT build of the same program. The folder goes when the test process exits.
/// It builds or fails: a machine that cannot compile Native AOT fails these tests, it never skips them.
/// </summary>
public sealed class BootstrapArtifacts
{
    private static readonly Lazy<Task<BootstrapArtifacts>> Shared = new(PackageAsync);

    private BootstrapArtifacts(string folder, ToolResult packaging)
    {
        Folder = folder;
        Packaging = packaging;
    }

    /// <summary>Generous: the managed zips, a Native AOT compile and a JIT build, on two cores shared with other tests.</summary>
    public static Task<BootstrapArtifacts> GetSharedAsync() => Shared.Value.DefaultTimeout(TimeSpan.FromMinutes(19));

    public string Folder { get; }

    /// <summary>What package.sh printed.</summary>
    public ToolResult Packaging { get; }

    /// <summary>The template that runs every function on provided.al2023 from the bootstrap's zip.</summary>
    public string TemplatePath => Path.Combine(Folder, "serverless-aot.template");

    public JsonObject Template => JsonNode.Parse(File.ReadAllText(TemplatePath))!.AsObject();

    /// <summary>The managed runtime's template, written by the same run.</summary>
    public string ManagedTemplatePath => Path.Combine(Folder, "serverless.template");

    /// <summary>This machine's Native AOT bootstrap.</summary>
    public string NativeBootstrap => Path.Combine(Folder, "lambda-aot", "bootstrap");

    /// <summary>The same program for the JIT, run with <c>dotnet bootstrap.dll</c>.</summary>
    public string JitBootstrap => Path.Combine(Folder, "lambda-jit", "bootstrap.dll");

    /// <summary>Lambda's name for this machine's architecture, the one package.sh builds the zip for by default.</summary>
    public static string HostArchitecture => System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "x86_64",
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        var other => throw new PlatformNotSupportedException($"Lambda runs x86_64 and arm64, not {other}."),
    };

    private static async Task<BootstrapArtifacts> PackageAsync()
    {
        var folder = Directory.CreateTempSubdirectory("realtime-package-aot-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(folder, recursive: true);
        var packaging = await Tool.RunAsync("bash", ["eng/package.sh", "--aot", "--output", folder], TimeSpan.FromMinutes(18));
        if (packaging.ExitCode != 0) throw new InvalidOperationException($"eng/package.sh --aot failed: {packaging}");
        return new BootstrapArtifacts(folder, packaging);
    }

    /// <summary>The zip a function's CodeUri names in the custom runtime's template.</summary>
    public string ZipOf(string functionId) =>
        Path.GetFullPath(Path.Combine(Folder, SamTemplate.Function(Template, functionId)["Properties"]!["CodeUri"]!.GetValue<string>()));

    /// <summary>The function's zip unpacked as Lambda unpacks it into <c>/var/task</c>, file modes included.</summary>
    public string TaskRootOf(string functionId)
    {
        var zip = ZipOf(functionId);
        var root = Path.Combine(Folder, "task", Path.GetFileNameWithoutExtension(zip));
        lock (this)
        {
            if (!Directory.Exists(root)) ZipFile.ExtractToDirectory(zip, root);
        }
        return root;
    }
}
