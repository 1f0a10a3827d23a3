using Realtime.Smoke;
using Realtime.Smoke.Publishers;

// Exit codes: 0 every step passed, 1 a step failed, 2 options that cannot be run.
SmokeOptions options;
try
{
    options = SmokeOptions.Parse(args, Environment.GetEnvironmentVariable(SmokeOptions.TokenVariable));
}
catch (SmokeOptionsException e)
{
    Console.Error.WriteLine($"realtime-smoke: {e.Message}");
    return 2;
}
if (options.Help)
{
    Console.WriteLine(SmokeOptions.Usage);
    return 0;
}

// Ctrl+C fails the current step instead of killing the process, so the socket is still closed cleanly.
using var interrupt = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    interrupt.Cancel();
};

// Every step has its own time limit, so the client has none of its own.
using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
using IEventPublisher publisher = options.LocalUrl is { } local
    ? new LocalPublisher(http, local, options.PublishKey!)
    : new SqsPublisher(options.QueueUrl!, options.Region!);
var report = new SmokeReport(Console.Out, options.Json);
return await new SmokeRun(options, publisher, http, report).RunAsync(interrupt.Token) ? 0 : 1;
