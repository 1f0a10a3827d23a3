using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Realtime.Local.Hosting;

/// <summary>The command line of <c>dotnet run --project src/Realtime.Local</c>: options in, or one readable error.</summary>
public static partial class CommandLine
{
    public const string Usage = """
        Usage: dotnet run --project src/Realtime.Local -- [options]

        Runs the template's functions behind a local emulation of API Gateway's WebSocket API:
        a raw WebSocket endpoint, a SignalR hub, @connections and a demo page, on 127.0.0.1. Only requests
        for localhost, *.localhost, 127.0.0.0/8 or [::1] are answered.

        Options:
          --port N                    Port on 127.0.0.1 (default 4000; 0 picks a free port)
          --stage NAME                Stage in the URLs and events (default local)
          --template PATH             SAM template (default: serverless.template found by walking up
                                      from the current directory, then from the app's directory)
          --parameter NAME=VALUE      Template parameter value (repeatable)
          --registry memory|dynamodb  Connection registry for the functions (default memory)
          --dynamodb-endpoint URL     DynamoDB endpoint for --registry dynamodb (e.g. http://localhost:8000)
          --table NAME                DynamoDB table (default: the template's table name)
          --idle-timeout DURATION     Close after no data in either direction (default 10m)
          --max-duration DURATION     Close this long after connecting (default 2h)
          --integration-timeout DURATION
                                      Integration timeout of routes without TimeoutInMillis (default 29s)
          --no-disconnect             Do not invoke $disconnect (API Gateway only promises best effort)
          --disconnect-delay DURATION Invoke $disconnect this long after the close (default 0)
          --connections-base-path P   Serve @connections at /P/@connections, as a custom domain's base path does
                                      (default: the stage; "/" for the root)
          --max-inflight-per-connection N
                                      Invocations one connection may have running at once; its later messages
                                      wait unread until one finishes (default 10)
          --allow-origin ORIGIN       Let pages of ORIGIN (https://app.example.com) open WebSocket and SignalR
                                      connections; only pages on this machine may by default (repeatable; * for any)
          --allow-anonymous           Let clients without a token connect (their user is empty)
          --publish-key KEY           Key that POST /publish asks for (default: a new one, printed at start)
          --quiet                     Print only warnings and errors, not one line per event
          --verbose                   Also print each @connections call
          -h, --help                  Show this help

        DURATION: 250ms, 30s, 10m, 2h, or a number of seconds.
        """;

    public sealed record Result(LocalGatewayOptions? Options, bool ShowHelp, string? Error);

    public static Result Parse(IReadOnlyList<string> args)
    {
        var options = new LocalGatewayOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? inline = null;
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.IndexOf('=') is var eq and > 2)
            {
                inline = arg[(eq + 1)..];
                arg = arg[..eq];
            }

            string Value()
            {
                if (inline is not null) return inline;
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal)) throw new FormatException($"{arg} needs a value.");
                return args[++i];
            }

            try
            {
                switch (arg)
                {
                    case "-h" or "--help" or "-?":
                        return new Result(null, true, null);
                    case "--port":
                        var port = Value();
                        options.Port = int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p <= 65535
                            ? p
                            : throw new FormatException($"--port must be a number from 0 to 65535, not '{port}'.");
                        break;
                    case "--stage":
                        var stage = Value();
                        options.Stage = StageName().IsMatch(stage) ? stage : throw new FormatException($"--stage must be letters, digits, '-' or '_' (at most 128), not '{stage}'.");
                        break;
                    case "--template":
                        options.TemplatePath = Value();
                        break;
                    case "--parameter":
                        var pair = Value();
                        var split = pair.IndexOf('=');
                        if (split <= 0) throw new FormatException($"--parameter must be NAME=VALUE, not '{pair}'.");
                        options.Parameters[pair[..split]] = pair[(split + 1)..];
                        break;
                    case "--registry":
                        var registry = Value();
                        options.Registry = registry.ToLowerInvariant() switch
                        {
                            "memory" => RegistryKind.Memory,
                            "dynamodb" => RegistryKind.DynamoDb,
                            _ => throw new FormatException($"--registry must be memory or dynamodb, not '{registry}'."),
                        };
                        break;
                    case "--dynamodb-endpoint":
                        var endpoint = Value();
                        options.DynamoDbEndpoint = Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                            ? uri
                            : throw new FormatException($"--dynamodb-endpoint must be an http(s) URL, not '{endpoint}'.");
                        break;
                    case "--table":
                        options.TableName = Value();
                        break;
                    case "--idle-timeout":
                        options.IdleTimeout = Duration(arg, Value());
                        break;
                    case "--max-duration":
                        options.MaxDuration = Duration(arg, Value());
                        break;
                    case "--integration-timeout":
                        options.IntegrationTimeout = Duration(arg, Value());
                        break;
                    case "--no-disconnect":
                        options.DeliverDisconnect = false;
                        break;
                    case "--disconnect-delay":
                        options.DisconnectDelay = Duration(arg, Value());
                        break;
                    case "--connections-base-path":
                        options.ConnectionsBasePath = Value().Trim('/');
                        break;
                    case "--max-inflight-per-connection":
                        var inflight = Value();
                        options.MaxInFlightPerConnection = int.TryParse(inflight, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                            ? n
                            : throw new FormatException($"--max-inflight-per-connection must be a whole number of at least 1, not '{inflight}'.");
                        break;
                    case "--allow-origin":
                        var origin = Value();
                        options.AllowedOrigins.Add(origin == AllowedOrigins.Any ? origin : AllowedOrigins.Normalize(origin)
                            ?? throw new FormatException($"--allow-origin must be an origin such as https://app.example.com (scheme, host and port only) or *, not '{origin}'."));
                        break;
                    case "--allow-anonymous":
                        options.AllowAnonymous = true;
                        break;
                    case "--publish-key":
                        var key = Value();
                        options.PublishKey = key.Length >= 8 ? key : throw new FormatException("--publish-key must be at least 8 characters.");
                        break;
                    case "--quiet":
                        options.EventLevel = LogLevel.Warning;
                        break;
                    case "--verbose":
                        options.EventLevel = LogLevel.Debug;
                        break;
                    default:
                        throw new FormatException($"unknown option '{args[i]}' (see --help).");
                }
            }
            catch (FormatException e)
            {
                return new Result(null, false, e.Message);
            }
        }

        if (options.Registry == RegistryKind.DynamoDb && options.DynamoDbEndpoint is null && Environment.GetEnvironmentVariable("REALTIME_DYNAMODB_ENDPOINT") is null
            && Environment.GetEnvironmentVariable("AWS_REGION") is null)
        {
            return new Result(null, false, "--registry dynamodb needs --dynamodb-endpoint URL (or AWS_REGION for the real service).");
        }
        if (options.Registry == RegistryKind.Memory && (options.DynamoDbEndpoint is not null))
        {
            return new Result(null, false, "--dynamodb-endpoint only applies with --registry dynamodb.");
        }
        return new Result(options, false, null);
    }

    /// <summary>250ms, 30s, 10m, 2h, a number of seconds, or a TimeSpan (00:10:00); positive.</summary>
    public static TimeSpan Duration(string option, string text)
    {
        var match = DurationPattern().Match(text.Trim());
        TimeSpan value;
        if (match.Success)
        {
            var number = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            value = match.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(number),
                "m" => TimeSpan.FromMinutes(number),
                "h" => TimeSpan.FromHours(number),
                _ => TimeSpan.FromSeconds(number),
            };
        }
        else if (!TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value))
        {
            throw new FormatException($"{option} must be a duration like 250ms, 30s, 10m or 2h, not '{text}'.");
        }
        return value > TimeSpan.Zero ? value : throw new FormatException($"{option} must be more than zero.");
    }

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)(ms|s|m|h)?$")]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_\-]{1,128}$")]
    private static partial Regex StageName();
}
