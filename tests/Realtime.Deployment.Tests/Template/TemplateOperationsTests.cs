using System.Text.Json.Nodes;
using Realtime.Deployment.Tests.Infrastructure;

namespace Realtime.Deployment.Tests.Template;

/// <summary>The data is protected and the stack can be operated: what the template promises, resource by resource.</summary>
public sealed class TemplateOperationsTests
{
    private static readonly JsonObject Template = SamTemplate.Source;

    public static TheoryData<string> Functions => new(SamTemplate.FunctionIds(Template));

    /// <summary>The functions an SQS queue invokes.</summary>
    private static IEnumerable<string> ConsumerIds => SamTemplate.FunctionIds(Template).Where(id => SqsEventOf(id) is not null);

    public static TheoryData<string> QueueConsumers => new(ConsumerIds);

    /// <summary>The queues other queues send what failed to.</summary>
    public static TheoryData<string> DeadLetterQueues => new(SamTemplate.ResourcesOfType(Template, "AWS::SQS::Queue")
        .Select(id => Resource(id)["Properties"]!["RedrivePolicy"]?["deadLetterTargetArn"]?["Fn::GetAtt"]?[0]?.GetValue<string>())
        .OfType<string>());

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

    [Theory]
    [MemberData(nameof(DeadLetterQueues))]
    public void A_message_in_a_dead_letter_queue_raises_an_alarm(string deadLetterQueue)
    {
        var alarm = SamTemplate.ResourcesOfType(Template, "AWS::CloudWatch::Alarm").Select(Resource)
            .Single(candidate => candidate["Properties"]!["Dimensions"]!.ToJsonString().Contains($"\"{deadLetterQueue}\"", StringComparison.Ordinal))["Properties"]!;
        Assert.Equal("AWS/SQS", alarm["Namespace"]!.GetValue<string>());
        Assert.Equal("ApproximateNumberOfMessagesVisible", alarm["MetricName"]!.GetValue<string>());
        Assert.Equal(deadLetterQueue, alarm["Dimensions"]![0]!["Value"]!["Fn::GetAtt"]![0]!.GetValue<string>());
        Assert.Equal("GreaterThanOrEqualToThreshold", alarm["ComparisonOperator"]!.GetValue<string>());
        Assert.Equal(1, alarm["Threshold"]!.GetValue<double>());
        Assert.Equal("HasAlarmTopic", alarm["AlarmActions"]!["Fn::If"]![0]!.GetValue<string>());
    }

    /// <summary>
    /// A queue that invokes a function keeps what failed: partial batch failures, a dead-letter queue after as many
    /// receives as the tests' event source plays (kept 14 days), encryption at rest, and a visibility timeout of at
    /// least six times the function's timeout (AWS's advice for SQS event sources: a message a throttled or retried
    /// invocation still holds must not come back while it runs).
    /// </summary>
    [Theory]
    [MemberData(nameof(QueueConsumers))]
    public void A_queue_that_invokes_a_function_retries_and_keeps_what_failed(string functionId)
    {
        var sqsEvent = SqsEventOf(functionId)!;
        Assert.Contains("ReportBatchItemFailures", sqsEvent["FunctionResponseTypes"]!.AsArray().Select(type => type!.GetValue<string>()));
        var queue = Resource(sqsEvent["Queue"]!["Fn::GetAtt"]![0]!.GetValue<string>())["Properties"]!;
        var timeout = (Resource(functionId)["Properties"]!["Timeout"] ?? Template["Globals"]!["Function"]!["Timeout"])!.GetValue<int>();
        Assert.True(queue["VisibilityTimeout"]!.GetValue<int>() >= 6 * timeout,
            $"{functionId} may run {timeout} s, its queue hides a message only {queue["VisibilityTimeout"]} s.");
        Assert.True(queue["SqsManagedSseEnabled"]!.GetValue<bool>());

        var redrive = queue["RedrivePolicy"]!;
        Assert.Equal(SqsQueues.MaxReceiveCount, redrive["maxReceiveCount"]!.GetValue<int>());
        var deadLetters = Resource(redrive["deadLetterTargetArn"]!["Fn::GetAtt"]![0]!.GetValue<string>())["Properties"]!;
        Assert.Equal(14 * 24 * 3600, deadLetters["MessageRetentionPeriod"]!.GetValue<int>());
        Assert.True(deadLetters["SqsManagedSseEnabled"]!.GetValue<bool>());
        // Each consumer has a queue of its own: a dead letter says whose work failed.
        Assert.Single(ConsumerIds, other => SqsEventOf(other)!["Queue"]!.ToJsonString() == sqsEvent["Queue"]!.ToJsonString());
    }

    /// <summary>
    /// The shard function takes one shard per invocation, runs at most FanOutInvocations at once (SQS event sources
    /// allow 2 to 1,000), and each invocation gets its share of FanOutRate: together they stay within the budget.
    /// </summary>
    [Fact]
    public void The_shard_function_works_one_shard_at_a_time_within_its_share_of_the_fan_out_budget()
    {
        var sqsEvent = SqsEventOf("ShardFunction")!;
        Assert.Equal("ShardQueue", sqsEvent["Queue"]!["Fn::GetAtt"]![0]!.GetValue<string>());
        Assert.Equal(1, sqsEvent["BatchSize"]!.GetValue<int>());
        Assert.Equal("FanOutInvocations", sqsEvent["ScalingConfig"]!["MaximumConcurrency"]!["Ref"]!.GetValue<string>());

        var invocations = Template["Parameters"]!["FanOutInvocations"]!;
        Assert.Equal(2, invocations["MinValue"]!.GetValue<int>());
        Assert.Equal(1000, invocations["MaxValue"]!.GetValue<int>());
        var rate = Template["Parameters"]!["FanOutRate"]!;
        Assert.Equal(0, rate["MinValue"]!.GetValue<int>());
        // The default leaves half the account's default 10,000 requests per second to everything else.
        Assert.Equal(5000, rate["Default"]!.GetValue<int>());
        Assert.Equal(10, invocations["Default"]!.GetValue<int>());

        var environment = SamTemplate.EnvironmentOf(Template, "ShardFunction");
        Assert.Equal("FanOutRate", environment["REALTIME_FANOUT_RATE"]!["Ref"]!.GetValue<string>());
        Assert.Equal("FanOutInvocations", environment["REALTIME_FANOUT_INVOCATIONS"]!["Ref"]!.GetValue<string>());
        Assert.Equal("ShardQueue", environment["REALTIME_SHARD_QUEUE_URL"]!["Ref"]!.GetValue<string>());
    }

    [Fact]
    public void A_backend_gets_a_managed_policy_to_publish_and_nothing_more()
    {
        var statements = Resource("PublishPolicy")["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray();
        var actions = statements.SelectMany(statement => statement!["Action"] is JsonArray many ? many.Select(a => a!.GetValue<string>()) : [statement["Action"]!.GetValue<string>()]);
        Assert.Equal(["sqs:GetQueueUrl", "sqs:SendMessage"], actions.Order());
        Assert.All(statements, statement => Assert.Equal("PublishQueue", statement!["Resource"]!["Fn::GetAtt"]![0]!.GetValue<string>()));
    }

    /// <summary>
    /// A shard carries a finished frame for thousands of connections, so only the functions that split audiences may
    /// queue one: in the deployed template, no statement but theirs names the shard queue, and no queue policy opens it.
    /// </summary>
    [Fact]
    public async Task Only_the_functions_that_split_audiences_can_send_to_the_shard_queue()
    {
        var transformed = await GrantedPermissions.TransformAsync(RepositoryFiles.Template, new Dictionary<string, string>());
        var resources = transformed["Resources"]!.AsObject();
        Assert.DoesNotContain(resources, resource => resource.Value!["Type"]!.GetValue<string>() == "AWS::SQS::QueuePolicy");

        var splitters = SamTemplate.FunctionIds(Template).Where(id => SamTemplate.EnvironmentOf(Template, id).ContainsKey("REALTIME_SHARD_QUEUE_URL")).ToHashSet();
        Assert.Equal(["MessageFunction", "PublishFunction", "ShardFunction"], splitters.Order());
        var splitterRoles = splitters.Select(id => resources[id]!["Properties"]!["Role"]!["Fn::GetAtt"]![0]!.GetValue<string>()).ToHashSet();
        var naming = resources.Where(resource => resource.Value!["Type"]!.GetValue<string>() is "AWS::IAM::Role" or "AWS::IAM::ManagedPolicy" or "AWS::IAM::Policy"
                && resource.Value.ToJsonString().Contains("\"ShardQueue\"", StringComparison.Ordinal))
            .Select(resource => resource.Key);
        Assert.Equal(splitterRoles.Order(), naming.Order());
        foreach (var functionId in splitters)
        {
            Assert.Contains(new IamUse("sqs:SendMessage", "queue/ShardQueue"), GrantedPermissions.Of(transformed, functionId).Inline);
        }
    }

    [Fact]
    public void The_outputs_give_a_user_every_address_they_need()
    {
        var outputs = Template["Outputs"]!.AsObject();
        foreach (var name in new[] { "WebSocketUrl", "ConnectionsUrl", "PublishQueueUrl", "PublishQueueArn", "PublishPolicyArn", "DeadLetterQueueUrl", "ShardQueueUrl", "ShardDeadLetterQueueUrl" })
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

    /// <summary>The properties of the function's SQS event, or null when no queue invokes it.</summary>
    private static JsonNode? SqsEventOf(string functionId) =>
        (Resource(functionId)["Properties"]!["Events"] as JsonObject)?.SingleOrDefault(e => e.Value!["Type"]!.GetValue<string>() == "SQS").Value?["Properties"];
}
