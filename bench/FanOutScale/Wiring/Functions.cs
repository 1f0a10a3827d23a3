using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Realtime.Bench.FanOutScale.Simulation;
using Realtime.Connect.Hosting;
using Realtime.Connect.Management;
using Realtime.Connect.Registry;
using Realtime.Router.FanOut;
using Realtime.Router.Functions;

namespace Realtime.Bench.FanOutScale.Wiring;

/// <summary>
/// The publish and shard functions as Lambda runs them (the same service registrations as on AWS, through their
/// public constructors), over the simulation: the registry and ledger behind kill switches, the real @connections
/// client aimed at the AWS-like server, the shard queue on the SQS stand-in. One process plays every instance of
/// each function, as the fan-out's limit is per process: <see cref="FanOutOptions.RatePerSecond"/> is the
/// deployment's budget divided by the invocations that may run at once, as RouterFunctionServices.ForShards does.
/// </summary>
internal sealed class Functions : IDisposable
{
    private readonly ServiceProvider _publishing;
    private readonly List<ServiceProvider> _shards = [];

    private readonly Func<ServiceProvider> _newShardInstance;
    private long _timedOutAttempts;

    /// <summary>Post attempts that got no answer in time, whose retry may deliver twice: the repeats allowed.</summary>
    public long TimedOutAttempts => Interlocked.Read(ref _timedOutAttempts);

    public Functions(KillableRegistry registry, KillableLedger ledger, SimulatedQueue shardQueue, Uri endpoint, ScaleSettings settings)
    {
        Registry = registry;
        Ledger = ledger;
        _publishing = Build(registry, ledger, shardQueue, endpoint, new FanOutOptions { ShardSize = settings.ShardSize }, Observe);
        Publish = ActivatorUtilities.CreateInstance<PublishFunction>(_publishing);
        var share = new FanOutOptions { ShardSize = settings.ShardSize, RatePerSecond = settings.FanOutRate / settings.Invocations };
        _newShardInstance = () => Build(registry, ledger, shardQueue, endpoint, share, Observe);
    }

    public KillableRegistry Registry { get; }
    public KillableLedger Ledger { get; }
    public PublishFunction Publish { get; }

    /// <summary>Instances of the shard function started, warm ones reused: a killed one never comes back.</summary>
    public int ShardInstances => _shards.Count;

    /// <summary>
    /// Lambda runs one invocation at a time per instance (a process with its own adaptive limit and rate share): an
    /// idle instance is reused, else a new one starts. A killed invocation's instance dies with it.
    /// </summary>
    public Func<Stream, Task<Stream>> ShardHandler()
    {
        var idle = new System.Collections.Concurrent.ConcurrentBag<ShardFunction>();
        return async input =>
        {
            if (!idle.TryTake(out var instance))
            {
                var provider = _newShardInstance();
                lock (_shards) _shards.Add(provider);
                instance = ActivatorUtilities.CreateInstance<ShardFunction>(provider);
            }
            var output = await instance.FunctionHandler(input);
            idle.Add(instance);
            return output;
        };
    }

    /// <summary>Each shard instance's adaptive limit now.</summary>
    public string ShardLimits()
    {
        lock (_shards) return string.Join(" ", _shards.Select(p => p.GetRequiredService<AdaptiveConcurrency>().Limit));
    }

    private void Observe(ConnectionsResult result)
    {
        if (result.Timeouts > 0) Interlocked.Add(ref _timedOutAttempts, result.Timeouts);
    }

    private static ServiceProvider Build(IConnectionRegistry registry, IDeliveryLedger ledger, SimulatedQueue shardQueue, Uri endpoint, FanOutOptions fanOut,
        Action<ConnectionsResult> observe)
    {
        var client = new ConnectionsClient(
            new ConnectionsClientOptions { Region = "us-east-1", Credentials = ConnectionsClientOptions.LocalCredentials, AttemptTimeout = TimeSpan.FromSeconds(1) },
            TimeProvider.System, NullLogger.Instance);
        return new ServiceCollection()
            .AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance)
            .AddSingleton(typeof(ILogger<>), typeof(NullLogger<>))
            .AddSingleton(TimeProvider.System)
            // The deadline Lambda hands over (the pool sets InvocationContext), less the function's margin.
            .AddSingleton(new FunctionDeadline(null, TimeProvider.System))
            .AddSingleton(registry)
            .AddSingleton(ledger)
            .AddSingleton<IConnectionsClient>(new KillableConnections(client, observe))
            .AddSingleton(new ConnectionsEndpoints(endpoint))
            .AddSingleton<IShardQueue>(new SimulatedShardQueue(shardQueue))
            .AddRealtimeRoutes(fanOut: fanOut)
            .BuildServiceProvider();
    }

    public void Dispose()
    {
        _publishing.Dispose();
        lock (_shards)
        {
            foreach (var provider in _shards) provider.Dispose();
        }
    }
}
