using Amazon.DynamoDBv2;
using Microsoft.Extensions.Logging;
using Realtime.Connect.Hosting.Metrics;
using Realtime.Connect.Registry;
using Realtime.Connect.Registry.DynamoDb;

namespace Realtime.Connect.Hosting;

/// <summary>
/// What a function reads from its environment when Lambda creates it with the parameterless constructor. A missing
/// required variable or a malformed value stops the function while it is created: one log line names the variable,
/// and a <see cref="FunctionConfigurationException"/> becomes Lambda's initialization error.
/// </summary>
public sealed class FunctionEnvironment
{
    public const string Table = "REALTIME_TABLE";
    public const string Region = "AWS_REGION";
    public const string DynamoDbEndpoint = "REALTIME_DYNAMODB_ENDPOINT";
    public const string LogLevelVariable = "REALTIME_LOG_LEVEL";

    private readonly Func<string, string?> _variables;
    private readonly Stream? _logOutput;
    private ILoggerFactory? _loggerFactory;
    private IMetricsSink? _metricsSink;
    private IAmazonDynamoDB? _dynamoDb;

    /// <param name="variables">Reads one variable by name.</param>
    /// <param name="logOutput">Where the JSON log lines go; standard output (Lambda's log stream) when null.</param>
    public FunctionEnvironment(Func<string, string?> variables, Stream? logOutput = null)
    {
        _variables = variables;
        _logOutput = logOutput;
    }

    /// <summary>The process's own environment, as Lambda sets it from the template.</summary>
    public static FunctionEnvironment Current { get; } = new(Environment.GetEnvironmentVariable);

    public string? Optional(string name) => _variables(name) is { Length: > 0 } value && value.Trim() is { Length: > 0 } trimmed ? trimmed : null;

    public string Required(string name) =>
        Optional(name) ?? throw Misconfigured(name, $"The environment variable {name} is not set; the function cannot start without it.");

    public IReadOnlyList<string> List(string name) =>
        Optional(name)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

    /// <summary>An optional absolute URL; a value that is not one stops start-up with a message naming the variable.</summary>
    public Uri? Url(string name) => Optional(name) switch
    {
        null => null,
        var value when Uri.TryCreate(value, UriKind.Absolute, out var url) => url,
        var value => throw Misconfigured(name, $"{name} is not an absolute URL: '{value}'."),
    };

    /// <summary>An optional whole number in [<paramref name="min"/>, <paramref name="max"/>]; anything else stops start-up naming the variable.</summary>
    public int Integer(string name, int defaultValue, int min, int max) => Optional(name) switch
    {
        null => defaultValue,
        var value when int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) && number >= min && number <= max => number,
        var value => throw Misconfigured(name, $"{name} must be a whole number from {min} to {max}, not '{value}'."),
    };

    public bool Flag(string name) => Optional(name) is { } value && (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value == "1");

    /// <summary>
    /// Builds a function's parts from this environment. A <see cref="FunctionConfigurationException"/>, or a
    /// <see cref="FormatException"/> or <see cref="InvalidOperationException"/> from an options parser, is logged as
    /// one line and leaves as a <see cref="FunctionConfigurationException"/>.
    /// </summary>
    public T Compose<T>(Func<FunctionEnvironment, T> compose)
    {
        try
        {
            return compose(this);
        }
        catch (FunctionConfigurationException e)
        {
            HostingLog.Misconfigured(Logger, e.Message);
            throw;
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            // The options parsers name the variable in their message.
            HostingLog.Misconfigured(Logger, e.Message);
            throw new FunctionConfigurationException(null, e.Message);
        }
    }

    /// <summary>The invocation deadline the template's <c>Timeout</c> gives (<c>REALTIME_FUNCTION_TIMEOUT</c>, seconds).</summary>
    public FunctionDeadline CreateDeadline() =>
        new(Integer(FunctionDeadline.TimeoutVariable, 0, 0, 900) is > 0 and var seconds ? TimeSpan.FromSeconds(seconds) : null, TimeProvider.System);

    /// <summary>One logger factory per environment, writing JSON lines at <c>REALTIME_LOG_LEVEL</c> (Information by default).</summary>
    public ILoggerFactory LoggerFactory => _loggerFactory ??= CreateLoggerFactory();

    private ILoggerFactory CreateLoggerFactory()
    {
        var level = Enum.TryParse<LogLevel>(Optional(LogLevelVariable), ignoreCase: true, out var parsed) ? parsed : LogLevel.Information;
        var output = _logOutput ?? Console.OpenStandardOutput();
        return Microsoft.Extensions.Logging.LoggerFactory.Create(logging => logging.ClearProviders().SetMinimumLevel(level).AddProvider(new JsonLinesLoggerProvider(output, level, _variables)));
    }

    /// <summary>Embedded metric format lines, on the same stream as the log lines: CloudWatch extracts the metrics from them.</summary>
    public IMetricsSink MetricsSink => _metricsSink ??= new EmbeddedMetricsSink(_logOutput ?? Console.OpenStandardOutput());

    /// <summary>The metrics of the function named <paramref name="function"/> (the <c>Function</c> dimension).</summary>
    public FunctionMetrics CreateMetrics(string function) => new(function, MetricsSink);

    /// <summary>The DynamoDB registry on <c>REALTIME_TABLE</c>, in <c>AWS_REGION</c> or at <c>REALTIME_DYNAMODB_ENDPOINT</c>.</summary>
    public IConnectionRegistry CreateRegistry(RegistryOptions? options = null) =>
        new DynamoDbConnectionRegistry(DynamoDb, new DynamoDbRegistryOptions { TableName = Required(Table) }, options ?? new RegistryOptions(), TimeProvider.System);

    /// <summary>Fan-out's delivery ledger, on the registry's table and client.</summary>
    public IDeliveryLedger CreateLedger() => new DynamoDbDeliveryLedger(DynamoDb, Required(Table), TimeProvider.System);

    private IAmazonDynamoDB DynamoDb => _dynamoDb ??= CreateDynamoDb();

    private IAmazonDynamoDB CreateDynamoDb()
    {
        Required(Table);
        var endpoint = Url(DynamoDbEndpoint);
        // Lambda always sets the region; without it (or another endpoint) the SDK would fail on the first request.
        var region = endpoint is null ? Required(Region) : Optional(Region);
        return DynamoDbRegistryFactory.CreateClient(endpoint, region, credentials: null);
    }

    private ILogger Logger => LoggerFactory.CreateLogger("Realtime.Function");

    private static FunctionConfigurationException Misconfigured(string name, string message) => new(name, message);
}
