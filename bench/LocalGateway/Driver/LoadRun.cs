using System.Diagnostics;

namespace Realtime.Bench.LocalGateway.Driver;

/// <summary>Opens every connection, runs warm-up and the measured window, then reports.</summary>
internal static class LoadRun
{
    private const int ConnectConcurrency = 16;

    public static async Task<int> RunAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        var clock = new RunClock();
        var errors = new ErrorCounts();
        var loops = Enumerable.Range(0, options.Connections)
            .Select(_ => new ConnectionLoop(options, clock, errors))
            .ToArray();

        // Whatever the server does, the run ends by itself.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.Warmup + options.Duration + options.Timeout + TimeSpan.FromSeconds(60));

        var connecting = Stopwatch.StartNew();
        await Parallel.ForEachAsync(
            loops,
            new ParallelOptions { MaxDegreeOfParallelism = ConnectConcurrency, CancellationToken = deadline.Token },
            async (loop, token) => await loop.ConnectAsync(token));
        var connected = loops.Count(l => l.IsConnected);
        Console.WriteLine($"{options.Label}: {connected}/{options.Connections} connected in {connecting.Elapsed.TotalSeconds:F1} s");
        if (connected == 0)
        {
            LoadReport.Write(options, clock, LatencyLog.Merge([]), answered: 0, errors, noMeasurement: true);
            return 1;
        }

        var running = loops.Select(loop => Task.Run(() => loop.RunAsync(deadline.Token), CancellationToken.None)).ToArray();
        var watchdog = WatchAsync(loops, deadline.Token);
        try
        {
            await Task.Delay(options.Warmup, cancellationToken);
            clock.StartMeasuring();
            await Task.Delay(options.Duration, cancellationToken);
        }
        finally
        {
            clock.Finish();
        }

        // Let each connection collect the answers still owed; the watchdog drops any that never come.
        await Task.WhenAll(running).WaitAsync(deadline.Token).ContinueWith(static _ => { }, TaskScheduler.Default);
        await deadline.CancelAsync();
        foreach (var loop in loops)
        {
            loop.Abort();
        }
        await watchdog;

        var latency = LatencyLog.Merge(loops.Select(l => l.Latencies));
        LoadReport.Write(options, clock, latency, loops.Sum(l => l.Answered), errors, noMeasurement: false);
        return 0;
    }

    private static async Task WatchAsync(ConnectionLoop[] loops, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var now = Stopwatch.GetTimestamp();
                foreach (var loop in loops)
                {
                    loop.AbortIfStalled(now);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
