using System.Diagnostics;
using Realtime.Testing.Lambda;

namespace Realtime.Deployment.Tests.Infrastructure;

/// <summary>
/// Starts a function the way Lambda's provided.al2023 runtime starts it: <c>{task}/bootstrap</c>, the executable of
/// its unpacked zip.
/// </summary>
public static class BootstrapProcess
{
    /// <param name="taskRoot">The unpacked zip, holding <c>bootstrap</c>.</param>
    /// <param name="handler">The template's Handler, handed over as <c>_HANDLER</c>.</param>
    /// <param name="functionName">Lambda's <c>AWS_LAMBDA_FUNCTION_NAME</c>.</param>
    /// <param name="variables">The function's environment, as the template sets it (plus Lambda's own).</param>
    public static Task<FunctionProcess> StartAsync(string taskRoot, string handler, string functionName, IReadOnlyDictionary<string, string> variables) =>
        FunctionProcess.StartAsync(
            new ProcessStartInfo(Path.Combine(taskRoot, "bootstrap")), taskRoot, handler, functionName,
            new Dictionary<string, string> { ["PATH"] = "/usr/local/bin:/usr/bin:/bin" }, variables);
}
