using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Realtime.Bootstrap;
using Realtime.Connect.Hosting;

// Lambda's provided.al2023 runtime starts /var/task/bootstrap with the Runtime API's address and the function's
// Handler string from the template, the same Assembly::Type::Method the managed runtime reads.
var runtimeApi = Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API");
var handlerName = Environment.GetEnvironmentVariable("_HANDLER");
if (string.IsNullOrEmpty(runtimeApi))
{
    Console.Error.WriteLine("bootstrap: AWS_LAMBDA_RUNTIME_API is not set; this is Lambda's custom runtime, started by Lambda with _HANDLER.");
    return 64;
}

// SIGTERM (Lambda shutting the environment down) ends the long poll for the next invocation and the process with it.
using var stopping = new CancellationTokenSource();
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
{
    signal.Cancel = true;
    stopping.Cancel();
});
using var api = new RuntimeApiClient(runtimeApi);
var logger = FunctionEnvironment.Current.LoggerFactory.CreateLogger("Realtime.Bootstrap");

try
{
    var (handler, initError) = CreateFunction(handlerName, logger);
    if (handler is null)
    {
        await api.ReportInitErrorAsync(initError!, stopping.Token);
        return 1;
    }

    await new InvocationLoop(api, handler, logger).RunAsync(stopping.Token);
    return 0;
}
catch (OperationCanceledException) when (stopping.IsCancellationRequested)
{
    return 0;
}
catch (HttpRequestException e)
{
    // The Runtime API is gone, or answered 500, which it documents as not recoverable: Lambda starts a new process.
    BootstrapLog.RuntimeApiFailed(logger, e);
    return 1;
}

// The function _HANDLER names, created once as the managed runtime creates it, or why it could not be.
static (FunctionHandler? Handler, ErrorReport? Error) CreateFunction(string? handlerName, ILogger logger)
{
    var create = Handlers.Find(handlerName);
    if (create is null)
    {
        BootstrapLog.HandlerNotFound(logger, handlerName);
        return (null, ErrorReport.HandlerNotFound(handlerName));
    }
    try
    {
        return (create(), null);
    }
    catch (Exception e)
    {
        // The constructor's own exception (a FunctionConfigurationException names the variable), not a wrapper.
        return (null, ErrorReport.From(e));
    }
}
