using System.IO.Compression;
using System.Text.Json.Nodes;
using Realtime.Testing;

namespace Realtime.Deployment.Tests.Infrastructure;

/// <summary>
/// <c>bash eng/package.sh</c>, run once for the test assembly into a folder of its own: the function zips and the
/// packaged template, exactly what a user deploys. Each zip is also unpacked, as Lambda unpacks it into
/// <c>/var/task</c>. The folder goes when the test process exits.
/// </summary>
public sealed class PackagedArtifacts
{
    private static readonly Lazy<Task<PackagedArtifacts>> Shared = new(PackageAsync);

    private PackagedArtifacts(string folder, ToolResult packaging)
    {
        Folder = folder;
        Packaging = packaging;
    }

    public static Task<PackagedArtifacts> GetSharedAsync() => Shared.Value.DefaultTimeout(TimeSpan.FromMinutes(9));

    public string Folder { get; }

    public string TemplatePath => Path.Combine(Folder, "serverless.template");

    public JsonObject Template => JsonNode.Parse(File.ReadAllText(TemplatePath))!.AsObject();

    /// <summary>What package.sh printed.</summary>
    public ToolResult Packaging { get; }

    private static async Task<PackagedArtifacts> PackageAsync()
    {
        var folder = Directory.CreateTempSubdirectory("realtime-package-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(folder, recursive: true);
        var packaging = await Tool.RunAsync("bash", ["eng/package.sh", "--output", folder], TimeSpan.FromMinutes(8));
        if (packaging.ExitCode != 0) throw new InvalidOperationException($"eng/package.sh failed: {packaging}");
        return new PackagedArtifacts(folder, packaging);
    }

    /// <summary>The zip a function's CodeUri names in the packaged template.</summary>
    public string ZipOf(string functionId) =>
        Path.GetFullPath(Path.Combine(Folder, SamTemplate.Function(Template, functionId)["Properties"]!["CodeUri"]!.GetValue<string>()));

    /// <summary>The function's zip unpacked into a folder of its own (the <c>/var/task</c> it runs from).</summary>
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
