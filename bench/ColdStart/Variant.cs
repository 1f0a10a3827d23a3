namespace Realtime.Bench.ColdStart;

/// <summary>One build of the bootstrap and how Lambda would start it.</summary>
/// <param name="Name">As the table shows it.</param>
/// <param name="FileName">The program to start.</param>
/// <param name="Arguments">Its arguments.</param>
internal sealed record Variant(string Name, string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>The Native AOT bootstrap and the JIT's <c>dotnet bootstrap.dll</c> from a <c>package.sh --aot</c> folder.</summary>
    public static IReadOnlyList<Variant> From(string artifacts)
    {
        var native = Path.Combine(artifacts, "lambda-aot", "bootstrap");
        var jit = Path.Combine(artifacts, "lambda-jit", "bootstrap.dll");
        foreach (var file in new[] { native, jit })
        {
            if (!File.Exists(file)) throw new FileNotFoundException($"{file} is missing: run bash eng/package.sh --aot --output {artifacts}", file);
        }
        return [new Variant("aot", native, []), new Variant("jit", "dotnet", [jit])];
    }
}
