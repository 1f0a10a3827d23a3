using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Realtime.Bench.FanOut;
using Realtime.Connect.Management;
using Realtime.Connect.Registry;
using Realtime.Router.FanOut;

if (args.Contains("--serve"))
{
    await ConnectionsEndpointServer.RunAsync();
    return 0;
}

var audiences = Arg("--audiences", "1000,10000").Split(',').Select(int.Parse).ToArray();
var rounds = int.Parse(Arg("--rounds", "7"), CultureInfo.InvariantCulture);
var concurrency = int.Parse(Arg("--concurrency", "32"), CultureInfo.InvariantCulture);
var pageSize = int.Parse(Arg("--page-size", "100"), CultureInfo.InvariantCulture);

await using var server = await ServerProcess.StartAsync();
var payload = Encoding.UTF8.GetBytes("""{"type":"event","topic":"wishlist:42","event":"item_added","data":{"itemId":"sku-123","quantity":1}}""");
var client = new ConnectionsClient(new ConnectionsClientOptions(), TimeProvider.System, NullLogger.Instance);

Console.WriteLine($"fan-out of {payload.Length} bytes through {server.Endpoint} (client pid {Environment.ProcessId}, server pid {server.Id})");
Console.WriteLine($"concurrency {concurrency}, page size {pageSize}, {rounds} rounds per audience (best and median reported), GC {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}");
Console.WriteLine($"load average at start: {LoadAverage()}");
Console.WriteLine();
Console.WriteLine("audience | best ms | median ms | deliveries/s (best) | deliveries/s (median) | client CPU µs/delivery | endpoint CPU µs/delivery | bytes allocated/delivery | peak heap growth MB | peak working set MB");
Console.WriteLine("-------: | ------: | --------: | ------------------: | --------------------: | ---------------------: | -----------------------: | -----------------------: | ------------------: | ------------------:");

// Warm-up until tiered compilation has settled (JIT, dynamic PGO, the connection pool): on a busy 2-core machine the
// background compiler needs several seconds, and the first rounds run at a third of the final speed.
var warmUpStarted = Stopwatch.GetTimestamp();
for (var i = 0; i < 8 || Stopwatch.GetElapsedTime(warmUpStarted) < TimeSpan.FromSeconds(15); i++) await RunAsync(5000, warmUp: true);

foreach (var audience in audiences) await RunAsync(audience, warmUp: false);

if (!args.Contains("--no-baselines"))
{
    Console.WriteLine();
    Console.WriteLine("the same posts without the fan-out:");
    Console.WriteLine();
    Console.WriteLine("posts                         | count  | deliveries/s (best) | deliveries/s (median) | client CPU µs/delivery");
    Console.WriteLine("----------------------------- | -----: | ------------------: | --------------------: | ---------------------:");
    await Baselines.RunAsync(server.Endpoint, payload, 10_000, concurrency, rounds, client);
}

var posted = await server.PostCountAsync();
Console.WriteLine();
Console.WriteLine($"the endpoint accepted {posted} posts in all; load average at end: {LoadAverage()}");
return 0;

async Task RunAsync(int audience, bool warmUp)
{
    var registry = new InMemoryConnectionRegistry();
    var topic = $"bench:{audience}";
    for (var i = 0; i < audience; i++)
    {
        var id = $"{i:D15}=";
        await registry.AddAsync(new Connection(id, null, DateTimeOffset.UtcNow, "abcde12345.execute-api.us-east-1.amazonaws.com", "local", null), CancellationToken.None);
        await registry.SubscribeAsync(id, topic, CancellationToken.None);
    }
    // A fixed number of posts in flight (no throttling here to adapt to): the limit starts at its maximum.
    var options = new FanOutOptions { MaxConcurrency = concurrency, InitialConcurrency = concurrency, PageSize = pageSize };
    var delivery = new RangeDelivery(registry, client, new ConnectionsEndpoints(server.Endpoint), new AdaptiveConcurrency(options, TimeProvider.System),
        RateBudget.Unlimited, options, TimeProvider.System, NullLogger<RangeDelivery>.Instance);
    var broadcaster = new Broadcaster(registry, delivery, NullLogger<Broadcaster>.Instance);

    var times = new List<double>();
    var allocatedPerDelivery = new List<double>();
    // CPU time is read in clock ticks (10 ms on Linux): summed over all rounds, then divided, to keep the error small.
    var clientCpu = TimeSpan.Zero;
    var serverCpu = TimeSpan.Zero;
    long peakHeapGrowth = 0;
    // One full collection before the rounds, none between them: a forced collection resets the GC's budgets and the
    // next round would pay to grow them again, a cost no real fan-out has.
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
    var heapBefore = GC.GetTotalMemory(false);
    for (var round = 0; round < (warmUp ? 1 : rounds); round++)
    {
        using var sampler = new HeapSampler(heapBefore);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clientCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var serverCpuBefore = server.ProcessorTime;
        var started = Stopwatch.GetTimestamp();

        var report = await broadcaster.ToTopicAsync(topic, payload, CancellationToken.None);

        var elapsed = Stopwatch.GetElapsedTime(started);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        clientCpu += Process.GetCurrentProcess().TotalProcessorTime - clientCpuBefore;
        serverCpu += server.ProcessorTime - serverCpuBefore;
        if (report.Delivered != audience) throw new InvalidOperationException($"Delivered {report.Delivered} of {audience}: {report}.");
        times.Add(elapsed.TotalMilliseconds);
        allocatedPerDelivery.Add((double)allocated / audience);
        peakHeapGrowth = Math.Max(peakHeapGrowth, sampler.PeakGrowth);
    }
    if (warmUp) return;

    times.Sort();
    allocatedPerDelivery.Sort();
    var deliveries = (double)audience * rounds;
    var best = times[0];
    var median = times[times.Count / 2];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{audience,8} | {best,7:F0} | {median,9:F0} | {audience / best * 1000,19:F0} | {audience / median * 1000,21:F0} | {clientCpu.TotalMicroseconds / deliveries,22:F1} | {serverCpu.TotalMicroseconds / deliveries,23:F1} | {allocatedPerDelivery[allocatedPerDelivery.Count / 2],24:F0} | {peakHeapGrowth / 1048576.0,19:F1} | {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0,19:F0}"));
}

// Other processes on the machine change every figure here; the load average says how busy it was.
static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

string Arg(string name, string fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
}
