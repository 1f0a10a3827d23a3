namespace Realtime.Local.Hosting;

/// <summary>Finds <c>serverless.template</c> by walking up from the current directory, then from the app's own directory.</summary>
public static class TemplateLocator
{
    public const string FileName = "serverless.template";

    public static string? Find(params string[] startDirectories)
    {
        foreach (var start in startDirectories)
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, FileName);
                if (File.Exists(candidate)) return candidate;
            }
        }
        return null;
    }

    public static string? FindDefault() => Find(Directory.GetCurrentDirectory(), AppContext.BaseDirectory);
}
