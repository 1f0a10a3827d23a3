using Realtime.Bench.FanOutScale;
using Realtime.Bench.FanOutScale.Simulation;
using Realtime.Testing.DynamoDb;

// Fan-out at scale, as on AWS: the real publish and shard functions against an @connections that answers like AWS
// under load, an SQS stand-in with visibility timeouts and redelivery, and pools of invocations with deadlines that
// may be killed mid-shard. Not part of Realtime.sln; run with bench/fanout-scale.sh.
if (args.Contains("--self-check")) return await SelfCheck.RunAsync();

var settings = ScaleSettings.Parse(args);
Console.WriteLine($"fan-out scale: {settings}");
await using var server = await AwsLikeConnectionsServer.StartAsync(ConnectionsBehaviour.Default with { RatePerSecond = settings.AccountRate });
var behaviour = server.Behaviour;
Console.WriteLine($"@connections: median {behaviour.Median.TotalMilliseconds} ms, p99 {behaviour.P99.TotalMilliseconds} ms, max {behaviour.Max.TotalMilliseconds} ms; " +
    $"{behaviour.RatePerSecond:N0}/s bucket (burst {behaviour.Burst:N0}); gone {behaviour.GoneFraction:P0}, 500s {behaviour.ServerErrorFraction:P1}, stalls {behaviour.StallFraction:P2} ({behaviour.Stall.TotalSeconds} s)");

DynamoDbLocal? dynamo = settings.Audiences.Any(a => a <= settings.DynamoDbUpTo) ? await DynamoDbLocal.GetSharedAsync() : null;
var failed = false;
foreach (var audience in settings.Audiences)
{
    var result = await ScaleRun.RunAsync(audience, settings, server, audience <= settings.DynamoDbUpTo ? dynamo : null);
    Console.WriteLine(result.Line());
    Console.WriteLine(result.Detail());
    failed |= result.Lost > 0 || !result.Drained;
}
return failed ? 1 : 0;
