using System.Text.Json.Nodes;
using Realtime.Deployment.Tests.Infrastructure;

namespace Realtime.Deployment.Tests.Template;

/// <summary>An operator is told when a function fails or is throttled, and has one page with the gateway's metrics.</summary>
public sealed class ObservabilityTemplateTests
{
    private static readonly JsonObject Template = SamTemplate.Source;

    public static TheoryData<string, string> FunctionAlarms
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var functionId in SamTemplate.FunctionIds(Template))
            {
                data.Add(functionId, "Errors");
                data.Add(functionId, "Throttles");
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(FunctionAlarms))]
    public void Every_function_has_an_alarm_on_its_errors_and_throttles_that_notifies_the_alarm_topic(string functionId, string metric)
    {
        var alarm = Assert.Single(SamTemplate.ResourcesOfType(Template, "AWS::CloudWatch::Alarm").Select(Resource), alarm =>
            alarm["Properties"]!["Namespace"]?.GetValue<string>() == "AWS/Lambda" &&
            alarm["Properties"]!["MetricName"]?.GetValue<string>() == metric &&
            alarm["Properties"]!["Dimensions"]!.AsArray().Any(d =>
                d!["Name"]!.GetValue<string>() == "FunctionName" && d["Value"]!["Ref"]?.GetValue<string>() == functionId))["Properties"]!;

        var actions = alarm["AlarmActions"]!["Fn::If"]!.AsArray();
        Assert.Equal("HasAlarmTopic", actions[0]!.GetValue<string>());
        Assert.Equal("AlarmTopicArn", actions[1]![0]!["Ref"]!.GetValue<string>());
        Assert.Equal("AWS::NoValue", actions[2]!["Ref"]!.GetValue<string>());
    }

    [Fact]
    public void The_dashboard_shows_the_realtime_metrics_every_function_and_every_queue_that_can_fall_behind()
    {
        var dashboard = Resource(Assert.Single(SamTemplate.ResourcesOfType(Template, "AWS::CloudWatch::Dashboard")));
        // The body is joined from literal pieces and Fn::Sub strings; its text is theirs, placeholders unresolved.
        var body = string.Concat(dashboard["Properties"]!["DashboardBody"]!["Fn::Join"]![1]!.AsArray()
            .Select(part => part is JsonValue text ? text.GetValue<string>() : part!["Fn::Sub"]!.GetValue<string>()));

        Assert.Contains("[\"Realtime\",", body);
        foreach (var metric in new[] { "ConnectionsOpened", "ConnectionsClosed", "Messages", "Deliveries", "GoneConnections", "ConnectionsRetries", "ConnectionsThrottles", "PublishLatency", "RateLimited" })
        {
            Assert.Contains($"[\"Realtime\",\"{metric}\",\"Function\",", body);
        }
        // Every function that fans out: the message function's sends, the publish function's direct audiences, the shards.
        foreach (var function in new[] { "message", "publish", "shard" })
        {
            foreach (var metric in new[] { "Deliveries", "GoneConnections", "ConnectionsRetries", "ConnectionsThrottles" })
            {
                Assert.Contains($"[\"Realtime\",\"{metric}\",\"Function\",\"{function}\"]", body);
            }
        }
        foreach (var functionId in SamTemplate.FunctionIds(Template)) Assert.Contains("${" + functionId + "}", body);
        // How far a large audience's fan-out is behind, and what failed for good.
        Assert.Contains("[\"AWS/SQS\",\"ApproximateAgeOfOldestMessage\",\"QueueName\",\"${ShardQueue.QueueName}\"", body);
        foreach (var queue in SamTemplate.ResourcesOfType(Template, "AWS::SQS::Queue"))
        {
            if (Resource(queue)["Properties"]!["RedrivePolicy"]?["deadLetterTargetArn"]?["Fn::GetAtt"]?[0]?.GetValue<string>() is { } deadLetters)
                Assert.Contains("[\"AWS/SQS\",\"ApproximateNumberOfMessagesVisible\",\"QueueName\",\"${" + deadLetters + ".QueueName}\"", body);
        }
    }

    private static JsonNode Resource(string id) => SamTemplate.Resources(Template)[id]!;
}
