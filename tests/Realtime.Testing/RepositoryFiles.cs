namespace Realtime.Testing;

/// <summary>Files of the repository the tests read, found by walking up from the test binaries to Realtime.sln.</summary>
public static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string Template => Path.Combine(Root, "serverless.template");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Realtime.sln"))) return directory.FullName;
        }
        var built = typeof(RepositoryFiles).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>()
            .FirstOrDefault(attribute => attribute.Key == "RepositoryRoot")?.Value;
        if (built is not null && File.Exists(Path.Combine(built, "Realtime.sln"))) return built;
        throw new InvalidOperationException($"Realtime.sln not found above {AppContext.BaseDirectory} nor at {built}.");
    }
}
