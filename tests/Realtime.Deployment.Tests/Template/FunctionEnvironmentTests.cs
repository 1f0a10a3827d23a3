using Realtime.Connect.Hosting;
using Realtime.Deployment.Tests.Infrastructure;

namespace Realtime.Deployment.Tests.Template;

/// <summary>
/// Every environment variable a function reads is one the template sets for it, and every one the template sets is
/// read: each function is built from its template environment through a lookup that writes down the names asked for.
/// </summary>
public sealed class FunctionEnvironmentTests
{
    /// <summary>Set by Lambda itself (the region) or only by the local host and tests (another DynamoDB endpoint).</summary>
    private static readonly HashSet<string> NotFromTheTemplate = [FunctionEnvironment.Region, FunctionEnvironment.DynamoDbEndpoint];

    public static TheoryData<string> Functions => new(SamTemplate.FunctionIds(SamTemplate.Source));

    /// <summary>What AWS computes for the variables that name resources: the table, the stage, the shard queue's URL.</summary>
    private static readonly Dictionary<string, string> StandIns = new()
    {
        ["REALTIME_TABLE"] = "realtime-connections",
        ["REALTIME_CONNECTIONS_ENDPOINT"] = "https://abcde12345.execute-api.us-east-1.amazonaws.com/prod",
        ["REALTIME_SHARD_QUEUE_URL"] = "https://sqs.us-east-1.amazonaws.com/123456789012/realtime-ShardQueue-ABCDEF123456",
    };

    /// <summary>The functions the template gives the shard queue: those that split a large audience into shards.</summary>
    public static TheoryData<string> ShardingFunctions => new(SamTemplate.FunctionIds(SamTemplate.Source)
        .Where(id => SamTemplate.EnvironmentOf(SamTemplate.Source, id).ContainsKey("REALTIME_SHARD_QUEUE_URL")));

    [Theory]
    [MemberData(nameof(Functions))]
    public void A_function_reads_exactly_the_variables_the_template_sets_for_it(string functionId)
    {
        var template = SamTemplate.Source;
        var variables = SamTemplate.ResolveEnvironment(template, functionId, new Dictionary<string, string> { ["AllowAnonymous"] = "true" }, StandIns);
        variables[FunctionEnvironment.Region] = "us-east-1";

        var read = new HashSet<string>();
        var environment = new FunctionEnvironment(name =>
        {
            lock (read) read.Add(name);
            return variables.GetValueOrDefault(name);
        }, Stream.Null);
        Construct(SamTemplate.HandlerOf(template, functionId), environment);

        var set = SamTemplate.EnvironmentOf(template, functionId).Keys.ToHashSet();
        Assert.Empty(read.Except(set).Except(NotFromTheTemplate).Order());
        Assert.Empty(set.Except(read).Order());
    }

    [Fact]
    public void A_missing_required_variable_is_a_configuration_error_naming_it_with_one_log_line()
    {
        using var log = new MemoryStream();
        var environment = new FunctionEnvironment(_ => null, log);

        var error = Assert.Throws<FunctionConfigurationException>(() => new Realtime.Connect.Functions.DisconnectFunction(environment));

        Assert.Equal(FunctionEnvironment.Table, error.Variable);
        var line = Assert.Single(System.Text.Encoding.UTF8.GetString(log.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("\"event\":\"Misconfigured\"", line);
        Assert.Contains(FunctionEnvironment.Table, line);
    }

    /// <summary>
    /// A function that may have to split an audience cannot start without the queue to put the shards on: it would
    /// otherwise fail only when a topic first grows past one invocation's audience.
    /// </summary>
    [Theory]
    [MemberData(nameof(ShardingFunctions))]
    public void A_function_that_splits_audiences_does_not_start_without_the_shard_queue(string functionId)
    {
        var template = SamTemplate.Source;
        var variables = SamTemplate.ResolveEnvironment(template, functionId, new Dictionary<string, string> { ["AllowAnonymous"] = "true" }, StandIns);
        variables[FunctionEnvironment.Region] = "us-east-1";
        variables.Remove("REALTIME_SHARD_QUEUE_URL");
        using var log = new MemoryStream();

        var error = Assert.Throws<System.Reflection.TargetInvocationException>(() =>
            Construct(SamTemplate.HandlerOf(template, functionId), new FunctionEnvironment(variables.GetValueOrDefault, log)));

        var configuration = Assert.IsType<FunctionConfigurationException>(error.InnerException);
        Assert.Equal("REALTIME_SHARD_QUEUE_URL", configuration.Variable);
        var line = Assert.Single(System.Text.Encoding.UTF8.GetString(log.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("\"event\":\"Misconfigured\"", line);
        Assert.Contains("REALTIME_SHARD_QUEUE_URL", line);
    }

    [Fact]
    public void A_malformed_value_is_a_configuration_error_naming_the_variable()
    {
        var environment = new FunctionEnvironment(name => name switch
        {
            FunctionEnvironment.Table => "t",
            FunctionEnvironment.Region => "us-east-1",
            "REALTIME_CONNECTIONS_ENDPOINT" => "https://abcde12345.execute-api.us-east-1.amazonaws.com/prod",
            "REALTIME_SHARD_QUEUE_URL" => StandIns["REALTIME_SHARD_QUEUE_URL"],
            "REALTIME_TOPIC_POLICY" => "{not json",
            _ => null,
        }, Stream.Null);

        var error = Assert.Throws<FunctionConfigurationException>(() => new Realtime.Router.Functions.MessageFunction(environment));
        Assert.Contains("REALTIME_TOPIC_POLICY", error.Message);
    }

    /// <summary>Builds the handler's type through its <see cref="FunctionEnvironment"/> constructor, the one its parameterless constructor calls.</summary>
    private static void Construct(string handler, FunctionEnvironment environment)
    {
        var parts = handler.Split("::");
        var type = Type.GetType($"{parts[1]}, {parts[0]}", throwOnError: true)!;
        var constructor = type.GetConstructor([typeof(FunctionEnvironment)])
                          ?? throw new InvalidOperationException($"{type} has no constructor taking a FunctionEnvironment.");
        constructor.Invoke([environment]);
    }
}
