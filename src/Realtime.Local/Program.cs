using Realtime.Local.Functions;
using Realtime.Local.Hosting;
using Realtime.Local.Template;

var parsed = CommandLine.Parse(args);
if (parsed.ShowHelp)
{
    Console.WriteLine(CommandLine.Usage);
    return 0;
}
if (parsed.Error is { } error)
{
    Console.Error.WriteLine($"realtime-local: {error}");
    return 2;
}

LocalGateway gateway;
try
{
    gateway = await LocalGateway.StartAsync(parsed.Options!);
}
catch (Exception e) when (e is TemplateException or FunctionResolutionException)
{
    Console.Error.WriteLine($"realtime-local: {e.Message}");
    return 1;
}
catch (IOException e)
{
    Console.Error.WriteLine($"realtime-local: cannot listen on 127.0.0.1:{parsed.Options!.Port}: {e.Message}");
    return 1;
}

await using (gateway)
{
    StartupBanner.Write(Console.Out, gateway);
    await gateway.WaitForShutdownAsync();
}
return 0;
