using System.Diagnostics;

namespace Realtime.Testing.Lambda;

/// <summary>
/// Starts a function the way Lambda's managed .NET runtime starts it: its package unpacked in a folder of its own
/// (the <c>/var/task</c>), then <c>dotnet exec --depsfile {task}/{Assembly}.deps.json --runtimeconfig
/// {task}/{Assembly}.runtimeconfig.json {runtime}/Realtime.ManagedRuntime.dll {handler}</c>, where the runtime
/// stand-in sits in a folder of its own (the <c>/var/runtime</c>).
/// </summary>
public static class ManagedRuntimeProcess
{
    /// <param name="taskRoot">The unpacked function package.</param>
    /// <param name="handler"><c>Assembly::Namespace.Type::Method</c>, as the template's Handler.</param>
    /// <param name="variables">The function's environment, as the template sets it (plus Lambda's own).</param>
    public static Task<FunctionProcess> StartAsync(string taskRoot, string handler, IReadOnlyDictionary<string, string> variables)
    {
        var assembly = handler[..handler.IndexOf("::", StringComparison.Ordinal)];
        var start = new ProcessStartInfo("dotnet");
        foreach (var argument in (string[])
                 ["exec",
                  "--depsfile", Path.Combine(taskRoot, assembly + ".deps.json"),
                  "--runtimeconfig", Path.Combine(taskRoot, assembly + ".runtimeconfig.json"),
                  RuntimeFolder.Dll, handler])
        {
            start.ArgumentList.Add(argument);
        }

        // The host's own variables the dotnet host needs, then what the managed runtime adds.
        var host = new Dictionary<string, string>();
        foreach (var name in (string[])["PATH", "HOME", "DOTNET_ROOT"])
        {
            if (Environment.GetEnvironmentVariable(name) is { } value) host[name] = value;
        }
        host["AWS_EXECUTION_ENV"] = "AWS_Lambda_dotnet10";
        host["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return FunctionProcess.StartAsync(start, taskRoot, handler, assembly, host, variables);
    }

    /// <summary>The runtime stand-in copied into a folder of its own, away from the test binaries.</summary>
    private static class RuntimeFolder
    {
        public static string Dll { get; } = Copy();

        private static string Copy()
        {
            var source = Path.Combine(AppContext.BaseDirectory, "Realtime.ManagedRuntime.dll");
            if (!File.Exists(source)) throw new FileNotFoundException("The runtime stand-in was not built next to the tests.", source);
            var folder = Directory.CreateTempSubdirectory("realtime-runtime-").FullName;
            var target = Path.Combine(folder, "Realtime.ManagedRuntime.dll");
            File.Copy(source, target);
            return target;
        }
    }
}
