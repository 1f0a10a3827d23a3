using System.Globalization;

namespace Realtime.Bench.FanOutScale;

/// <summary>What one run simulates; every figure is printed with the results.</summary>
internal sealed record ScaleSettings
{
    public IReadOnlyList<int> Audiences { get; init; } = [1_000, 10_000, 100_000, 1_000_000];

    /// <summary>Audiences up to this size keep their registry on DynamoDB Local; larger ones in memory.</summary>
    public int DynamoDbUpTo { get; init; } = 100_000;

    /// <summary>The account's @connections rate the AWS-like server enforces (10,000/s by default on AWS).</summary>
    public double AccountRate { get; init; } = 10_000;

    /// <summary>The deployment's fan-out budget (the template's FanOutRate): here the whole account's rate.</summary>
    public double FanOutRate { get; init; } = 10_000;

    /// <summary>Shard invocations at once (the template's FanOutInvocations: the event source's maximum concurrency).</summary>
    public int Invocations { get; init; } = 10;

    /// <summary>Connections per shard (FanOutOptions.ShardSize).</summary>
    public int ShardSize { get; init; } = new Realtime.Router.FanOut.FanOutOptions().ShardSize;

    /// <summary>Shards per invocation (the event source's BatchSize), worked at once.</summary>
    public int ShardBatch { get; init; } = 1;

    public TimeSpan FunctionTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan VisibilityTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The chance that a shard invocation is killed at a random moment in the first half of its time.</summary>
    public double KillProbability { get; init; }

    public static ScaleSettings Parse(string[] args)
    {
        var settings = new ScaleSettings();
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            settings = args[i] switch
            {
                "--audiences" => settings with { Audiences = value.Split(',').Select(a => int.Parse(a, NumberStyles.AllowThousands, CultureInfo.InvariantCulture)).ToList() },
                "--dynamodb-up-to" => settings with { DynamoDbUpTo = int.Parse(value, CultureInfo.InvariantCulture) },
                "--account-rate" => settings with { AccountRate = double.Parse(value, CultureInfo.InvariantCulture) },
                "--fanout-rate" => settings with { FanOutRate = double.Parse(value, CultureInfo.InvariantCulture) },
                "--shard-size" => settings with { ShardSize = int.Parse(value, CultureInfo.InvariantCulture) },
                "--shard-batch" => settings with { ShardBatch = int.Parse(value, CultureInfo.InvariantCulture) },
                "--invocations" => settings with { Invocations = int.Parse(value, CultureInfo.InvariantCulture) },
                "--function-timeout" => settings with { FunctionTimeout = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)) },
                "--visibility-timeout" => settings with { VisibilityTimeout = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)) },
                "--kill" => settings with { KillProbability = double.Parse(value, CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"Unknown option {args[i]}."),
            };
            i++;
        }
        return settings;
    }

    public override string ToString() =>
        $"account rate {AccountRate:N0}/s, fan-out budget {FanOutRate:N0}/s over {Invocations} shard invocations of up to {ShardBatch} shards of {ShardSize:N0}, function timeout {FunctionTimeout.TotalSeconds:N0} s, " +
        $"visibility timeout {VisibilityTimeout.TotalSeconds:N0} s, kill probability {KillProbability:P0}, registry on DynamoDB Local up to {DynamoDbUpTo:N0}";
}
