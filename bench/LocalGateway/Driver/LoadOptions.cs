namespace Realtime.Bench.LocalGateway.Driver;

/// <summary>One load run: where, how many connections, how many pings in flight on each, and for how long.</summary>
internal sealed record LoadOptions(
    Uri Url,
    Expectation Expect,
    int Connections,
    int Depth,
    TimeSpan Warmup,
    TimeSpan Duration,
    TimeSpan Timeout,
    string Label,
    string? SummaryPath)
{
    public static LoadOptions From(CommandLine args)
    {
        var options = new LoadOptions(
            new Uri(args.Required("url")),
            ParseExpectation(args.String("expect", "pong")),
            args.Int("connections", 50),
            args.Int("depth", 1),
            TimeSpan.FromSeconds(args.Seconds("warmup", 3)),
            TimeSpan.FromSeconds(args.Seconds("duration", 10)),
            TimeSpan.FromSeconds(args.Seconds("timeout", 10)),
            args.String("label", "server"),
            args.String("summary", "") is { Length: > 0 } path ? path : null);
        if (options.Connections < 1 || options.Depth < 1 || options.Duration <= TimeSpan.Zero)
        {
            throw new ArgumentException("--connections, --depth and --duration must be positive");
        }
        return options;
    }

    public static Expectation ParseExpectation(string value) => value switch
    {
        "pong" => Expectation.Pong,
        "echo" => Expectation.Echo,
        _ => throw new ArgumentException($"--expect is pong or echo, not '{value}'"),
    };
}
