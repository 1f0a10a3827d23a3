using Microsoft.Extensions.Logging;
using Realtime.Connect.Registry;
using Realtime.Connect.Registry.DynamoDb;

namespace Realtime.Connect.Hosting;

/// <summary>
/// What a function reads from its environment when Lambda creates it with the parameterless constructor. A missing
/// required variable stops the function at start-up with a message naming it, rather than failing every request.
/// </summary>
public sealed class FunctionEnvironment(Func<string, string?> variables)
{
    public const string Table = "REALTIME_TABLE";
    public const string Region = "AWS_REGION";
    public const string DynamoDbEndpoint = "REALTIME_DYNAMODB_ENDPOINT";
    public const string LogLevelVariable = "REALTIME_LOG_LEVEL";

    public static FunctionEnvironment Current { get; } = new(Environment.GetEnvironmentVariable);

    public string? Optional(string name) => variables(name) is { Length: > 0 } value ? value.Trim() : null;

    public string Required(string name) =>
        Optional(name) ?? throw new InvalidOperationException($"The environment variable {name} is not set; the function cannot start without it.");

    public IReadOnlyList<string> List(string name) =>
        Optional(name)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

    /// <summary>An optional absolute URL; a value that is not one stops start-up with a message naming the variable.</summary>
    public Uri? Url(string name) => Optional(name) switch
    {
        null => null,
        var value when Uri.TryCreate(value, UriKind.Absolute, out var url) => url,
        var value => throw new InvalidOperationException($"{name} is not an absolute URL: '{value}'."),
    };

    public bool Flag(string name) => Optional(name) is { } value && (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value == "1");

    public ILoggerFactory CreateLoggerFactory()
    {
        var level = Enum.TryParse<LogLevel>(Optional(LogLevelVariable), ignoreCase: true, out var parsed) ? parsed : LogLevel.Information;
        return LoggerFactory.Create(logging => logging.ClearProviders().SetMinimumLevel(level).AddProvider(new JsonLinesLoggerProvider(Console.OpenStandardOutput(), level)));
    }

    /// <summary>The DynamoDB registry on <c>REALTIME_TABLE</c>, in <c>AWS_REGION</c> or at <c>REALTIME_DYNAMODB_ENDPOINT</c>.</summary>
    public IConnectionRegistry CreateRegistry()
    {
        var table = Required(Table);
        return DynamoDbRegistryFactory.Create(table, Url(DynamoDbEndpoint), Optional(Region), credentials: null, new RegistryOptions(), TimeProvider.System);
    }
}
