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

    [Theory]
    [MemberData(nameof(Functions))]
    public void A_function_reads_exactly_the_variables_the_template_sets_for_it(string functionId)
    {
        var template = SamTemplate.Source;
        var variables = SamTemplate.ResolveEnvironment(template, functionId,
            new Dictionary<string, string> { ["AllowAnonymous"] = "true" },
            new Dictionary<string, string>
            {
                ["REALTIME_TABLE"] = "realtime-connections",
                ["REALTIME_CONNECTIONS_ENDPOINT"] = "https://abcde12345.execute-api.us-east-1.amazonaws.com/prod",
            });
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

    [Fact]
    public void A_malformed_value_is_a_configuration_error_naming_the_variable()
    {
        var environment = new FunctionEnvironment(name => name switch
        {
            FunctionEnvironment.Table => "t",
            FunctionEnvironment.Region => "us-east-1",
            "REALTIME_CONNECTIONS_ENDPOINT" => "https://abcde12345.execute-api.us-east-1.amazonaws.com/prod",
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
