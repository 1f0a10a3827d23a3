using Realtime.Local.Template;

namespace Realtime.Local.Hosting;

/// <summary>
/// Gives a function the environment variables the template sets for it, resolved locally, before it is created.
/// A variable already set in the host's environment wins, so a developer can override any of them. All functions
/// share one process, so a variable two functions set differently holds the last one's value.
/// <c>REALTIME_CONNECTIONS_ENDPOINT</c> is the local @connections base.
/// </summary>
internal static class TemplateEnvironment
{
    private static readonly HashSet<string> s_fromHost = new(
        Environment.GetEnvironmentVariables().Keys.Cast<string>(), StringComparer.Ordinal);

    public static void Apply(FunctionDefinition function, string connectionsEndpoint)
    {
        foreach (var (name, value) in function.Environment)
        {
            if (s_fromHost.Contains(name)) continue;
            Environment.SetEnvironmentVariable(name, name == "REALTIME_CONNECTIONS_ENDPOINT" ? connectionsEndpoint : value);
        }
    }
}
