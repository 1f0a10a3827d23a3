using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Realtime.Connect.Hosting;

namespace Realtime.Bench.FanOutScale.Simulation;

/// <summary>
/// Shows the simulation behaves as intended before a benchmark leans on it: the @connections stand-in driven by a
/// plain HttpClient (its throughput next to the client on this machine, its answers' mix, its latency), then the queue
/// and the invocation pool with a handler that fails once, one that outlives its deadline, and kills.
/// Returns 0 when every check holds.
/// </summary>
public static class SelfCheck
{
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(1);

    public static async Task<int> RunAsync()
    {
        var failures = new List<string>();
        Console.WriteLine($"{Environment.ProcessorCount} cores, GC {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}");
        await CheckServerAsync(failures);
        await CheckQueueAndPoolAsync(failures);

        Console.WriteLine();
        if (failures.Count == 0)
        {
            Console.WriteLine("self-check passed");
            return 0;
        }
        foreach (var failure in failures) Console.WriteLine($"FAILED: {failure}");
        return 1;
    }

    private static async Task CheckServerAsync(List<string> failures)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, UseCookies = false, AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };

        await using (var server = await AwsLikeConnectionsServer.StartAsync())
        {
            await CheckAwsLikeAsync(http, server, failures);
        }

        // The loopback round trip alone, once everything is compiled: no latency, no limit, nothing failing. The ceiling.
        await using (var ideal = await AwsLikeConnectionsServer.StartAsync(ConnectionsBehaviour.Ideal))
        {
            await LoadAsync(http, ideal, "warm-up", int.MaxValue, 64, TimeSpan.FromSeconds(2));
            var before = ideal.Ledger.Snapshot();
            var bare = await LoadAsync(http, ideal, "ideal", int.MaxValue, 64, TimeSpan.FromSeconds(6));
            Print("ideal server (no latency, no limit), concurrency 64, 6 s", bare, ideal.Ledger.Snapshot() - before);
        }
    }

    private static async Task CheckAwsLikeAsync(HttpClient http, AwsLikeConnectionsServer server, List<string> failures)
    {
        Console.WriteLine();
        Console.WriteLine($"endpoint {server.Endpoint}; latency sigma {server.Latency.Sigma:F3}");

        // Check the path handling and the GET / DELETE answers once, with an id that needs escaping.
        const string odd = "a/b+c=";
        var oddUri = new Uri($"{server.Endpoint}/%40connections/{Uri.EscapeDataString(odd)}");
        using (var get = await http.GetAsync(oddUri))
        {
            var json = await get.Content.ReadAsStringAsync();
            if (get.StatusCode != HttpStatusCode.OK || !json.Contains("connectedAt", StringComparison.Ordinal)) failures.Add($"GET answered {(int)get.StatusCode} {json}");
        }
        using (var delete = await http.DeleteAsync(oddUri))
        {
            if (delete.StatusCode != HttpStatusCode.NoContent) failures.Add($"DELETE answered {(int)delete.StatusCode}");
        }
        using (var post = await http.PostAsync(oddUri, new StringContent("""{"type":"event","data":{"messageId":"nested"},"messageId":"probe"}""", Encoding.UTF8, "application/json")))
        {
            if (post.StatusCode != HttpStatusCode.OK || !server.Ledger.WasDelivered("probe", odd)) failures.Add($"POST to an escaped id answered {(int)post.StatusCode}, recorded {server.Ledger.WasDelivered("probe", odd)}");
        }
        // Compiled and pooled first (on a busy two-core machine the JIT's background tiers take seconds), then a full bucket.
        await LoadAsync(http, server, "warm-up", int.MaxValue, 256, TimeSpan.FromSeconds(3));
        await Task.Delay(1500);
        server.Bucket.Refill();
        var requestsBefore = server.Ledger.Snapshot();

        var run = await LoadAsync(http, server, "m1", 20_000, 256, TimeSpan.Zero);
        var counters = server.Ledger.Snapshot() - requestsBefore;
        Print("AWS-like server (defaults), 20,000 posts to distinct ids, concurrency 256", run, counters);
        var m1 = server.Ledger.For("m1");
        Console.WriteLine($"  message m1: deliveries {m1.Deliveries}, distinct {m1.Distinct}, duplicates {m1.Duplicates}, " +
                          $"first→last delivery {(m1.LastDeliveryAt - m1.FirstDeliveryAt)?.TotalMilliseconds:F0} ms");

        var expectedGone = Enumerable.Range(0, 20_000).Count(i => server.IsGone(ConnectionId("m1", i)));
        Console.WriteLine($"  gone ids by the stable hash: {expectedGone} of 20,000 ({expectedGone / 200.0:F2} %)");
        // Gone is decided before errors and stalls, so unless the bucket refused some, every gone id was answered 410.
        var gone = run.Status.GetValueOrDefault(410);
        if (counters.Throttled == 0 ? gone != expectedGone : gone > expectedGone) failures.Add($"410s ({gone}) do not match the gone ids ({expectedGone})");
        if (m1.Deliveries != run.Status.GetValueOrDefault(200) + counters.Stalls) failures.Add($"m1 deliveries {m1.Deliveries} != 200s {run.Status.GetValueOrDefault(200)} + stalls {counters.Stalls}");
        if (m1.Duplicates != 0) failures.Add($"m1 has {m1.Duplicates} duplicates without retries");
        if (counters.Requests != run.Sent) failures.Add($"server counted {counters.Requests} requests, client sent {run.Sent}");

        // Far more offered than the bucket allows: what the server and client sustain together, and the 429 mix.
        foreach (var concurrency in new[] { 512, 1024 })
        {
            server.Bucket.Refill();
            await Task.Delay(600);
            var before = server.Ledger.Snapshot();
            var saturated = await LoadAsync(http, server, $"sat{concurrency}", int.MaxValue, concurrency, TimeSpan.FromSeconds(8));
            var during = server.Ledger.Snapshot() - before;
            Print($"AWS-like server (defaults), saturated at concurrency {concurrency}, 8 s", saturated, during);
            if (saturated.Window is { } window)
            {
                // In the steady window the burst is long spent: what is accepted is what the bucket refills.
                var accepted = window.PerSecond(window.Counters.Requests - window.Counters.Throttled);
                if (accepted > server.Behaviour.RatePerSecond * 1.03) failures.Add($"accepted {accepted:N0}/s above the bucket's {server.Behaviour.RatePerSecond:N0}/s");
            }
        }
    }

    private static async Task<LoadResult> LoadAsync(HttpClient http, AwsLikeConnectionsServer server, string messageId, int count, int concurrency, TimeSpan duration)
    {
        var body = Encoding.UTF8.GetBytes($$"""{"type":"event","messageId":"{{messageId}}"}""");
        var latencies = new ConcurrentBag<double[]>();
        var completions = new ConcurrentBag<long[]>();
        var status = new ConcurrentDictionary<int, int>();
        var next = -1;
        var timeouts = 0;
        var sent = 0;
        var started = Stopwatch.GetTimestamp();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var until = duration > TimeSpan.Zero ? started + (long)(duration.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
        using var finished = new CancellationTokenSource();
        // A timed run's steady window: from its third second (ramp-up and the bucket's burst spent) to half a second
        // before it stops sending.
        var window = duration > TimeSpan.FromSeconds(3) ? SampleWindowAsync(server, TimeSpan.FromSeconds(2), duration - TimeSpan.FromSeconds(0.5), finished.Token) : null;

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            var mine = new List<double>();
            var done = new List<long>();
            int i;
            while ((i = Interlocked.Increment(ref next)) < count && Stopwatch.GetTimestamp() < until)
            {
                var uri = new Uri($"{server.Endpoint}/%40connections/{Uri.EscapeDataString(ConnectionId(messageId, i))}");
                using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Version = HttpVersion.Version11, Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                using var attempt = new CancellationTokenSource(AttemptTimeout);
                var sentAt = Stopwatch.GetTimestamp();
                Interlocked.Increment(ref sent);
                try
                {
                    using var response = await http.SendAsync(request, attempt.Token);
                    await response.Content.CopyToAsync(Stream.Null, attempt.Token);
                    var now = Stopwatch.GetTimestamp();
                    mine.Add(Stopwatch.GetElapsedTime(sentAt, now).TotalMilliseconds);
                    done.Add(now);
                    status.AddOrUpdate((int)response.StatusCode, 1, static (_, n) => n + 1);
                }
                catch (OperationCanceledException) when (attempt.IsCancellationRequested)
                {
                    Interlocked.Increment(ref timeouts);
                }
            }
            latencies.Add(mine.ToArray());
            completions.Add(done.ToArray());
        })));

        var elapsed = Stopwatch.GetElapsedTime(started);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        await finished.CancelAsync();
        var sampled = window is null ? null : await window;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        var ends = completions.SelectMany(c => c).Order().ToArray();
        var steady = double.NaN;
        if (ends.Length >= 100)
        {
            var (from, to) = ((int)(ends.Length * 0.05), (int)(ends.Length * 0.95));
            steady = (to - from) / Stopwatch.GetElapsedTime(ends[from], ends[to]).TotalSeconds;
        }
        return new LoadResult(sent, elapsed, cpu, status.ToDictionary(), timeouts, Percentile(all, 0.5), Percentile(all, 0.99), steady, sampled);
    }

    private static async Task<LoadWindow?> SampleWindowAsync(AwsLikeConnectionsServer server, TimeSpan from, TimeSpan to, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(from, cancellationToken);
            var (counters, cpu, machine, at) = (server.Ledger.Snapshot(), Process.GetCurrentProcess().TotalProcessorTime, MachineCpu.Read(), Stopwatch.GetTimestamp());
            await Task.Delay(to - from, cancellationToken);
            return new LoadWindow(Stopwatch.GetElapsedTime(at), server.Ledger.Snapshot() - counters, Process.GetCurrentProcess().TotalProcessorTime - cpu,
                MachineCpu.BusyShare(machine, MachineCpu.Read()));
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private static void Print(string title, LoadResult run, ConnectionsCounters counters)
    {
        var utilisation = run.Cpu / (run.Elapsed * Environment.ProcessorCount);
        Console.WriteLine();
        Console.WriteLine(title);
        Console.WriteLine($"  {run.Sent:N0} requests in {run.Elapsed.TotalSeconds:F2} s = {run.Sent / run.Elapsed.TotalSeconds:N0} requests/s " +
                          $"(steady, middle 90 % of answers: {run.SteadyPerSecond:N0}/s); " +
                          $"process CPU {run.Cpu.TotalSeconds:F2} s = {utilisation:P0} of {Environment.ProcessorCount} cores ({run.Cpu.TotalMilliseconds * 1000 / Math.Max(1, run.Sent):F0} µs/request)");
        Console.WriteLine($"  answers: {string.Join(", ", run.Status.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value:N0}"))}; client timeouts {run.Timeouts}");
        Console.WriteLine($"  server: requests {counters.Requests:N0}, 429 {counters.Throttled:N0}, 410 {counters.GoneAnswers:N0}, 500 {counters.ServerErrors:N0}, stalls {counters.Stalls:N0}, deliveries {counters.Deliveries:N0}");
        Console.WriteLine($"  observed latency (answered requests): median {run.MedianMs:F1} ms, p99 {run.P99Ms:F1} ms");
        if (run.Window is { } window)
        {
            var requests = window.Counters.Requests;
            Console.WriteLine($"  steady window {window.Length.TotalSeconds:F1} s: {window.PerSecond(requests):N0} requests/s, " +
                              $"{window.PerSecond(requests - window.Counters.Throttled):N0} accepted/s, {window.PerSecond(window.Counters.Deliveries):N0} deliveries/s, " +
                              $"{window.PerSecond(window.Counters.Throttled):N0} 429/s; process CPU {window.ProcessCpu / (window.Length * Environment.ProcessorCount):P0} of the cores " +
                              $"({window.ProcessCpu.TotalMilliseconds * 1000 / Math.Max(1, requests):F0} µs/request), whole machine {window.MachineBusy:P0} busy");
        }
    }

    private static async Task CheckQueueAndPoolAsync(List<string> failures)
    {
        // A handler that fails each record once, then succeeds; batches of 3; a fifth of the invocations killed.
        Console.WriteLine();
        var queue = new SimulatedQueue(TimeSpan.FromMilliseconds(300), maxReceiveCount: 10);
        var attempts = new ConcurrentDictionary<string, int>();
        var succeeded = new ConcurrentDictionary<string, int>();
        var sawContext = 0;
        async Task<Stream> FailOnce(Stream input)
        {
            using var document = await JsonDocument.ParseAsync(input);
            if (InvocationContext.Current is { } context && SimulatedInvocation.Current is { } invocation && context.RequestId == invocation.RequestId && context.Deadline == invocation.Deadline)
            {
                Interlocked.Increment(ref sawContext);
            }
            var failed = new List<string>();
            foreach (var record in document.RootElement.GetProperty("Records").EnumerateArray())
            {
                var id = record.GetProperty("messageId").GetString()!;
                await SimulatedInvocation.HaltIfKilled();
                await Task.Delay(20);
                await SimulatedInvocation.HaltIfKilled();
                if (attempts.AddOrUpdate(id, 1, static (_, n) => n + 1) == 1) failed.Add(id);
                else succeeded.AddOrUpdate(id, 1, static (_, n) => n + 1);
            }
            var answer = new MemoryStream(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { batchItemFailures = failed.Select(id => new { itemIdentifier = id }) })));
            return answer;
        }
        var sent = queue.SendBatch(Enumerable.Range(0, 60).Select(i => $$"""{"n":{{i}}}"""));
        var pool = new InvocationPool(queue, FailOnce, new InvocationPoolOptions(MaxConcurrency: 8, BatchSize: 3, FunctionTimeout: TimeSpan.FromMilliseconds(400), KillProbability: 0.2));
        var elapsed = await RunPoolAsync(queue, pool);
        PrintPool("queue + pool: fail once then succeed, batches of 3, kill probability 0.2", queue, pool, elapsed);
        Console.WriteLine($"  records that succeeded once: {succeeded.Count}, more than once (after a kill or a batch-mate's failure): {succeeded.Count(s => s.Value > 1)}");
        if (sawContext != pool.Invocations) failures.Add($"InvocationContext seen in {sawContext} of {pool.Invocations} invocations");
        if (queue.Deleted + queue.DeadLettered != sent.Count) failures.Add($"deleted {queue.Deleted} + dead-lettered {queue.DeadLettered} != sent {sent.Count}");
        if (queue.Deleted > succeeded.Count) failures.Add($"deleted {queue.Deleted} but only {succeeded.Count} records succeeded");
        if (pool.Kills == 0) failures.Add("no invocation was killed");

        // A handler that sleeps past its deadline: every invocation times out and the messages end in the dead-letter list.
        var sleepy = new SimulatedQueue(TimeSpan.FromMilliseconds(150), maxReceiveCount: 5);
        var resumed = 0;
        async Task<Stream> Sleep(Stream input)
        {
            await SimulatedInvocation.HaltIfKilled();
            await Task.Delay(250);
            await SimulatedInvocation.HaltIfKilled();
            Interlocked.Increment(ref resumed);
            return new MemoryStream();
        }
        sleepy.SendBatch(["a", "b", "c"]);
        var slow = new InvocationPool(sleepy, Sleep, new InvocationPoolOptions(MaxConcurrency: 4, FunctionTimeout: TimeSpan.FromMilliseconds(100), KillProbability: 0));
        elapsed = await RunPoolAsync(sleepy, slow);
        await Task.Delay(300);
        PrintPool("queue + pool: a handler that sleeps past its 100 ms deadline", sleepy, slow, elapsed);
        Console.WriteLine($"  handlers that went on after their deadline: {resumed}");
        if (slow.Timeouts != 15 || sleepy.DeadLettered != 3 || sleepy.Deleted != 0) failures.Add($"sleeping handler: {slow.Timeouts} timeouts (15 expected), {sleepy.DeadLettered} dead-lettered (3), {sleepy.Deleted} deleted (0)");
        if (resumed != 0) failures.Add($"{resumed} timed-out handlers went on past HaltIfKilled");
    }

    private static async Task<TimeSpan> RunPoolAsync(SimulatedQueue queue, InvocationPool pool)
    {
        var started = Stopwatch.GetTimestamp();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var running = pool.RunAsync(stop.Token);
        await pool.WaitUntilDrainedAsync(TimeSpan.FromMilliseconds(100), stop.Token);
        var elapsed = Stopwatch.GetElapsedTime(started);
        await stop.CancelAsync();
        await running;
        return elapsed;
    }

    private static void PrintPool(string title, SimulatedQueue queue, InvocationPool pool, TimeSpan elapsed)
    {
        Console.WriteLine(title);
        Console.WriteLine($"  drained in {elapsed.TotalSeconds:F2} s; queue: sent {queue.Sent}, received {queue.Received}, redelivered {queue.Redelivered}, " +
                          $"deleted {queue.Deleted}, stale deletes {queue.StaleDeletes}, dead-lettered {queue.DeadLettered}, visible {queue.Visible}, in flight {queue.InFlight}");
        Console.WriteLine($"  pool: invocations {pool.Invocations}, completed {pool.Completed}, kills {pool.Kills}, timeouts {pool.Timeouts}, failures {pool.Failures}, " +
                          $"invalid answers {pool.InvalidAnswers}, records reported failed {pool.ReportedFailures}");
    }

    private static string ConnectionId(string messageId, int i) => string.Create(CultureInfo.InvariantCulture, $"{messageId}-{i:D12}=");

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
}
