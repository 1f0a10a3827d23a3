using System.Text.Json.Nodes;
using Realtime.Deployment.Tests.Infrastructure;

namespace Realtime.Deployment.Tests.Template;

/// <summary>The data is protected and the stack can be operated: what the template promises, resource by resource.</summary>
public sealed class TemplateOperationsTests
{
    private static readonly JsonObject Template = SamTemplate.Source;

    public static TheoryData<string> Functions => new(SamTemplate.FunctionIds(Template));

    [Fact]
    public void The_table_survives_stack_deletion_and_replacement_is_encrypted_and_recoverable()
    {
        var table = Resource("ConnectionsTable");
        Assert.Equal("Retain", table["DeletionPolicy"]!.GetValue<string>());
        Assert.Equal("Retain", table["UpdateReplacePolicy"]!.GetValue<string>());
        Assert.True(table["Properties"]!["PointInTimeRecoverySpecification"]!["PointInTimeRecoveryEnabled"]!.GetValue<bool>());
        Assert.True(table["Properties"]!["SSESpecification"]!["SSEEnabled"]!.GetValue<bool>());
        Assert.Equal("ttl", table["Properties"]!["TimeToLiveSpecification"]!["AttributeName"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public async Task A_function_logs_to_its_own_group_with_a_retention_and_is_traced(string functionId)
    {
        var transformed = await GrantedPermissions.TransformAsync(RepositoryFiles.Template, new Dictionary<string, string>());
        var function = transformed["Resources"]![functionId]!["Properties"]!;
        Assert.Equal("Active", function["TracingConfig"]!["Mode"]!.GetValue<string>());

        var logGroup = function["LoggingConfig"]!["LogGroup"]!["Ref"]!.GetValue<string>();
        var group = Resource(logGroup);
        Assert.Equal("AWS::Logs::LogGroup", group["Type"]!.GetValue<string>());
        Assert.Equal("LogRetentionInDays", group["Properties"]!["RetentionInDays"]!["Ref"]!.GetValue<string>());
        Assert.DoesNotContain(SamTemplate.FunctionIds(Template).Where(other => other != functionId),
            other => Resource(other)["Properties"]!["LoggingConfig"]!["LogGroup"]!["Ref"]!.GetValue<string>() == logGroup);
    }

    [Fact]
    public void The_stage_writes_json_access_logs_with_what_an_operator_needs_and_throttles_by_default()
    {
        var stage = Resource("Stage")["Properties"]!;
        var format = JsonNode.Parse(stage["AccessLogSettings"]!["Format"]!.GetValue<string>())!.AsObject();
        foreach (var (field, variable) in new[]
                 {
                     ("connectionId", "$context.connectionId"), ("routeKey", "$context.routeKey"), ("status", "$context.status"),
                     ("integrationLatency", "$context.integrationLatency"), ("errorMessage", "$context.error.message"),
                     ("requestId", "$context.requestId"), ("eventType", "$context.eventType"),
                 })
        {
            Assert.Equal(variable, format[field]?.GetValue<string>());
        }
        Assert.Equal("ThrottlingRateLimit", stage["DefaultRouteSettings"]!["ThrottlingRateLimit"]!["Ref"]!.GetValue<string>());
        Assert.Equal("ThrottlingBurstLimit", stage["DefaultRouteSettings"]!["ThrottlingBurstLimit"]!["Ref"]!.GetValue<string>());
        // Access logging needs the region's API Gateway logging role: the stage waits for it when the stack sets it.
        Assert.Contains("ApiGatewayAccountReady", Resource("Stage")["DependsOn"]!.AsArray().Select(node => node!.GetValue<string>()));
    }

    [Fact]
    public void A_message_in_the_dead_letter_queue_raises_an_alarm()
    {
        var alarm = SamTemplate.ResourcesOfType(Template, "AWS::CloudWatch::Alarm").Select(Resource)
            .Single(candidate => candidate["Properties"]!["Dimensions"]!.ToJsonString().Contains("PublishDeadLetterQueue", StringComparison.Ordinal))["Properties"]!;
        Assert.Equal("AWS/SQS", alarm["Namespace"]!.GetValue<string>());
        Assert.Equal("ApproximateNumberOfMessagesVisible", alarm["MetricName"]!.GetValue<string>());
        Assert.Equal("GreaterThanOrEqualToThreshold", alarm["ComparisonOperator"]!.GetValue<string>());
        Assert.Equal(1, alarm["Threshold"]!.GetValue<double>());
    }

    [Fact]
    public void A_backend_gets_a_managed_policy_to_publish_and_nothing_more()
    {
        var statements = Resource("PublishPolicy")["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray();
        var actions = statements.SelectMany(statement => statement!["Action"] is JsonArray many ? many.Select(a => a!.GetValue<string>()) : [statement["Action"]!.GetValue<string>()]);
        Assert.Equal(["sqs:GetQueueUrl", "sqs:SendMessage"], actions.Order());
        Assert.All(statements, statement => Assert.Contains("PublishQueue", statement!["Resource"]!.ToJsonString()));
    }

    [Fact]
    public void The_outputs_give_a_user_every_address_they_need()
    {
        var outputs = Template["Outputs"]!.AsObject();
        foreach (var name in new[] { "WebSocketUrl", "ConnectionsUrl", "PublishQueueUrl", "PublishQueueArn", "PublishPolicyArn", "DeadLetterQueueUrl" })
        {
            Assert.True(outputs.ContainsKey(name), $"no output {name}");
            Assert.False(string.IsNullOrWhiteSpace(outputs[name]!["Description"]?.GetValue<string>()), $"{name} has no description");
        }
    }

    [Theory]
    [InlineData("AuthorizerFunction")]
    [InlineData("ConnectFunction")]
    public void Handshakes_can_keep_reserved_concurrency_and_reserve_none_by_default(string functionId)
    {
        var reserved = Resource(functionId)["Properties"]!["ReservedConcurrentExecutions"]!["Fn::If"]!.AsArray();
        Assert.Equal("ReservesConnectConcurrency", reserved[0]!.GetValue<string>());
        Assert.Equal("ConnectReservedConcurrency", reserved[1]!["Ref"]!.GetValue<string>());
        Assert.Equal("AWS::NoValue", reserved[2]!["Ref"]!.GetValue<string>());
        // New accounts may have a concurrency quota of 10: reserving by default would fail their first deployment.
        Assert.Equal("0", SamTemplate.DefaultOf(Template, "ConnectReservedConcurrency"));
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public void A_function_knows_its_timeout_so_it_can_stop_before_lambda_stops_it(string functionId)
    {
        var timeout = (Resource(functionId)["Properties"]!["Timeout"] ?? Template["Globals"]!["Function"]!["Timeout"])!.GetValue<int>();
        Assert.Equal(timeout.ToString(System.Globalization.CultureInfo.InvariantCulture),
            SamTemplate.EnvironmentOf(Template, functionId)["REALTIME_FUNCTION_TIMEOUT"]!.GetValue<string>());
    }

    [Fact]
    public void The_message_function_gets_the_client_limits()
    {
        var environment = SamTemplate.EnvironmentOf(Template, "MessageFunction");
        foreach (var (variable, parameter) in new[]
                 {
                     ("REALTIME_MAX_SUBSCRIPTIONS", "MaxSubscriptionsPerConnection"),
                     ("REALTIME_MESSAGE_RATE_PER_CONNECTION", "MessageRatePerConnection"),
                     ("REALTIME_MESSAGE_RATE_PER_USER", "MessageRatePerUser"),
                 })
        {
            Assert.Equal(parameter, environment[variable]!["Ref"]!.GetValue<string>());
        }
    }

    private static JsonObject Resource(string id) => SamTemplate.Resources(Template)[id]!.AsObject();
}
