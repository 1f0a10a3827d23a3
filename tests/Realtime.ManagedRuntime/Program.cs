using Realtime.ManagedRuntime;

// dotnet exec --depsfile <Assembly>.deps.json --runtimeconfig <Assembly>.runtimeconfig.json Realtime.ManagedRuntime.dll <handler>
// The handler comes from the command line, else from _HANDLER, as in Lambda's own bootstrap script.
var handler = args.Length > 0 ? args[0] : Environment.GetEnvironmentVariable("_HANDLER");
var runtimeApi = Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API");
if (string.IsNullOrEmpty(handler) || string.IsNullOrEmpty(runtimeApi))
{
    Console.Error.WriteLine("usage: Realtime.ManagedRuntime <Assembly::Type::Method>, with AWS_LAMBDA_RUNTIME_API set");
    return 64;
}

using var api = new RuntimeApiClient(runtimeApi);
StreamHandler function;
try
{
    function = HandlerLoader.Load(handler);
}
catch (Exception e)
{
    await api.ReportInitErrorAsync(e);
    return 1;
}

await new InvocationLoop(api, function).RunAsync();
return 0;
