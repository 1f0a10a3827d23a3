namespace Realtime.Bench.FanOutScale.Simulation;

/// <summary>How <see cref="InvocationPool"/> plays Lambda's SQS event source mapping.</summary>
/// <param name="MaxConcurrency">Invocations at once (the mapping's maximum concurrency).</param>
/// <param name="BatchSize">Messages per invocation (the template's mapping says 10).</param>
/// <param name="FunctionTimeout">The function's timeout (the template's publish function: 29 s).</param>
/// <param name="KillProbability">Chance that an invocation is killed at a random moment in its first half.</param>
/// <param name="Seed">Seeds the kill draws, so runs with the same options kill the same share at the same moments.</param>
public sealed record InvocationPoolOptions(
    int MaxConcurrency = 10,
    int BatchSize = 1,
    TimeSpan? FunctionTimeout = null,
    double KillProbability = 0,
    int Seed = 20260101)
{
    public const string QueueArn = "arn:aws:sqs:us-east-1:123456789012:sim";
    public const string Region = "us-east-1";

    public TimeSpan Timeout => FunctionTimeout ?? TimeSpan.FromSeconds(29);
}
