using System.Globalization;
using Realtime.Smoke.Publishers;

namespace Realtime.Smoke;

/// <summary>A command line that cannot be run; the message names the problem. The command exits with 2.</summary>
internal sealed class SmokeOptionsException(string message) : Exception(message);

/// <summary>Where the token comes from, so a refusal can say which one was refused.</summary>
internal enum TokenSource
{
    None,
    Option,
    Environment,
    DevelopmentToken,
}

/// <summary>What to test and how: the command line (and <c>REALTIME_TOKEN</c>), checked before anything connects.</summary>
internal sealed record SmokeOptions
{
    public const string TokenVariable = "REALTIME_TOKEN";
    public const string LocalStage = "local";
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    public const string Usage = """
        Realtime smoke test: connect, ping, subscribe, publish an event through the backend path and receive it.

        Usage:
          dotnet run --project tools/Realtime.Smoke -- --stack-outputs outputs.json [--token JWT]
          dotnet run --project tools/Realtime.Smoke -- --url wss://... --queue-url https://sqs... [--token JWT]
          dotnet run --project tools/Realtime.Smoke -- --local http://127.0.0.1:4000 --publish-key KEY

        Target (one of):
          --stack-outputs FILE  the JSON of: aws cloudformation describe-stacks --stack-name NAME
                                --query "Stacks[0].Outputs"  (its WebSocketUrl and PublishQueueUrl are used)
          --url URL             the WebSocket URL, wss://{api}.execute-api.{region}.amazonaws.com/{stage}
          --queue-url URL       the publish queue (PublishQueueUrl); sent to with the AWS SDK's default credentials
          --region NAME         the queue's region when its URL does not say (default: read from the URL's host)
          --local URL           the local host, e.g. http://127.0.0.1:4000: connects to ws://.../local and
                                publishes with POST /publish (--url replaces the WebSocket URL for another stage)
          --publish-key KEY     with --local: the key the host prints at start-up

        Identity:
          --token JWT           sent as ?token=  (default: REALTIME_TOKEN; with --local, a development token from
                                POST /dev/token; otherwise none: anonymous, for a stack with AllowAnonymous=true)

        Other:
          --topic NAME          the topic (default wishlist:smoke-{random}, open to signed-in users by the default policy)
          --timeout SECONDS     the time each step may take (default 10)
          --json                print one JSON object with every step instead of one line per step
          -h, --help            this text

        Exit code: 0 when every step passed, 1 when a step failed, 2 for options that cannot be run.
        """;

    public bool Help { get; private init; }

    /// <summary>The WebSocket URL, without the token.</summary>
    public Uri WebSocketUrl { get; private init; } = null!;

    /// <summary>The publish queue; null for the local host.</summary>
    public Uri? QueueUrl { get; private init; }

    public string? Region { get; private init; }

    /// <summary>The local host's base URL, ending in <c>/</c>; null for a deployed stack.</summary>
    public Uri? LocalUrl { get; private init; }

    public string? PublishKey { get; private init; }
    public string? Token { get; private init; }
    public TokenSource TokenSource { get; private init; }

    /// <summary>The topic asked for with --topic; null for a fresh <c>wishlist:smoke-*</c>.</summary>
    public string? Topic { get; private init; }

    public TimeSpan Timeout { get; private init; } = DefaultTimeout;
    public bool Json { get; private init; }

    public static SmokeOptions Parse(IReadOnlyList<string> args, string? environmentToken)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var json = false;
        for (var i = 0; i < args.Count; i++)
        {
            var (name, inlineValue) = Split(args[i]);
            switch (name)
            {
                case "-h" or "--help":
                    return new SmokeOptions { Help = true };
                case "--json":
                    json = inlineValue is null ? true : throw new SmokeOptionsException("--json takes no value.");
                    break;
                case "--stack-outputs" or "--url" or "--queue-url" or "--region" or "--local" or "--publish-key" or "--token" or "--topic" or "--timeout":
                    var value = inlineValue ?? (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : null);
                    if (string.IsNullOrWhiteSpace(value)) throw new SmokeOptionsException($"{name} needs a value.");
                    if (!values.TryAdd(name, value)) throw new SmokeOptionsException($"{name} is given twice.");
                    break;
                default:
                    throw new SmokeOptionsException($"unknown option '{args[i]}'. See --help.");
            }
        }
        return Resolve(values, environmentToken) with { Json = json };
    }

    private static (string Name, string? Value) Split(string arg)
    {
        var equals = arg.IndexOf('=', StringComparison.Ordinal);
        return arg.StartsWith("--", StringComparison.Ordinal) && equals > 0 ? (arg[..equals], arg[(equals + 1)..]) : (arg, null);
    }

    private static SmokeOptions Resolve(Dictionary<string, string> values, string? environmentToken)
    {
        string? Get(string name) => values.GetValueOrDefault(name);

        var (token, tokenSource) = Get("--token") is { } given ? (given, TokenSource.Option)
            : !string.IsNullOrWhiteSpace(environmentToken) ? (environmentToken.Trim(), TokenSource.Environment)
            : ((string?)null, TokenSource.None);
        var common = new SmokeOptions
        {
            Token = token,
            TokenSource = tokenSource,
            Topic = Get("--topic") is { } topic ? CheckTopic(topic) : null,
            Timeout = Get("--timeout") is { } timeout ? ParseTimeout(timeout) : DefaultTimeout,
        };

        if (Get("--local") is { } local)
        {
            foreach (var remoteOnly in new[] { "--stack-outputs", "--queue-url", "--region" })
            {
                if (values.ContainsKey(remoteOnly)) throw new SmokeOptionsException($"--local publishes with the host's POST /publish; {remoteOnly} is for a deployed stack.");
            }
            var localUrl = AsBase(ParseHttpUrl("--local", local));
            return common with
            {
                LocalUrl = localUrl,
                WebSocketUrl = Get("--url") is { } url ? ParseWebSocketUrl("--url", url) : LocalWebSocketUrl(localUrl),
                PublishKey = Get("--publish-key") ?? throw new SmokeOptionsException(
                    "--local needs --publish-key KEY: the key the host prints at start-up (publish ... X-Realtime-Publish-Key: KEY)."),
            };
        }
        if (values.ContainsKey("--publish-key")) throw new SmokeOptionsException("--publish-key is for --local; a stack is published to through its queue.");

        var outputs = Get("--stack-outputs") is { } file ? StackOutputs.Read(file) : null;
        var webSocket = Get("--url") is { } explicitUrl ? ParseWebSocketUrl("--url", explicitUrl)
            : outputs is not null ? ParseWebSocketUrl($"WebSocketUrl in {outputs.File}", outputs.Require(StackOutputs.WebSocketUrl))
            : null;
        var queue = Get("--queue-url") is { } explicitQueue ? ParseHttpUrl("--queue-url", explicitQueue)
            : outputs is not null ? ParseHttpUrl($"PublishQueueUrl in {outputs.File}", outputs.Require(StackOutputs.PublishQueueUrl))
            : null;
        if (webSocket is null && queue is null)
        {
            throw new SmokeOptionsException("no target: give --stack-outputs FILE, --url with --queue-url, or --local URL. See --help.");
        }
        if (webSocket is null) throw new SmokeOptionsException("--queue-url needs --url (the stack's WebSocketUrl output).");
        if (queue is null) throw new SmokeOptionsException("--url needs --queue-url (the stack's PublishQueueUrl output), or --local for the local host.");

        var region = Get("--region") ?? SqsPublisher.RegionOf(queue) ?? throw new SmokeOptionsException(
            $"cannot tell the region from the queue URL {queue}; give --region.");
        return common with { WebSocketUrl = webSocket, QueueUrl = queue, Region = region };
    }

    private static Uri LocalWebSocketUrl(Uri localUrl) =>
        new UriBuilder(localUrl) { Scheme = localUrl.Scheme == Uri.UriSchemeHttps ? "wss" : "ws", Path = localUrl.AbsolutePath + LocalStage }.Uri;

    private static Uri ParseWebSocketUrl(string what, string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var url) && url.Scheme is "ws" or "wss"
            ? url
            : throw new SmokeOptionsException($"{what} must be a ws:// or wss:// URL, such as wss://{{api}}.execute-api.{{region}}.amazonaws.com/{{stage}}, not '{value}'.");

    private static Uri ParseHttpUrl(string what, string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
            ? url
            : throw new SmokeOptionsException($"{what} must be an http:// or https:// URL, not '{value}'.");

    // A base URL without its trailing slash would lose its last segment when "publish" or "dev/token" is resolved against it.
    private static Uri AsBase(Uri url) => url.AbsolutePath.EndsWith('/') ? url : new UriBuilder(url) { Path = url.AbsolutePath + "/" }.Uri;

    private static TimeSpan ParseTimeout(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && seconds <= 3600
            ? TimeSpan.FromSeconds(seconds)
            : throw new SmokeOptionsException($"--timeout must be a number of seconds from 0 to 3600, not '{value}'.");

    // The server's rule (docs/protocol.md, "Topic names"), checked here so a typo is an option error, not a failed step.
    private static string CheckTopic(string topic)
    {
        if (topic.Length > 128) throw new SmokeOptionsException("--topic must be at most 128 characters.");
        foreach (var c in topic)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not (':' or '_' or '-' or '.' or '@' or '|'))
            {
                throw new SmokeOptionsException($"--topic may hold only letters, digits and ':_-.@|', not '{(char.IsControl(c) ? '?' : c)}'.");
            }
        }
        return topic;
    }
}
