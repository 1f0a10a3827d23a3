using Realtime.Bench.LocalGateway;
using Realtime.Bench.LocalGateway.Driver;
using Realtime.Bench.LocalGateway.Echo;

// LocalGateway echo  --port N
// LocalGateway probe --url ws://127.0.0.1:N/local [--expect pong|echo] [--timeout 2]
// LocalGateway drive --url ws://127.0.0.1:N/local [--expect pong|echo] [--connections 50] [--depth 1]
//                    [--warmup 3] [--duration 10] [--timeout 10] [--label name] [--summary file.tsv]
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

try
{
    var command = args.Length > 0 ? args[0] : "";
    var options = CommandLine.Parse(args.Skip(1));
    return command switch
    {
        "echo" => await EchoServer.RunAsync(options.Int("port", 0), stop.Token),
        "probe" => await Probe.RunAsync(ProbeOptions.From(options), stop.Token),
        "drive" => await LoadRun.RunAsync(LoadOptions.From(options), stop.Token),
        _ => Usage(),
    };
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return Usage();
}

static int Usage()
{
    Console.Error.WriteLine("usage: LocalGateway echo --port N | probe --url URL | drive --url URL [options]");
    return 2;
}
