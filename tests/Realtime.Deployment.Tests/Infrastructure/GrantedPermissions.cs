using System.Text.Json.Nodes;

namespace Realtime.Deployment.Tests.Infrastructure;

/// <summary>
/// What the deployed template grants each function, read from the SAM transform's output (the CloudFormation that is
/// actually deployed): the inline statements of the function's role, as <see cref="IamUse"/>s on the table, an index,
/// <c>@connections</c> or a queue of the stack, and the managed policies attached to it.
/// </summary>
public sealed record GrantedPermissions(IReadOnlySet<IamUse> Inline, IReadOnlySet<string> ManagedPolicies)
{
    public static async Task<JsonObject> TransformAsync(string templatePath, IReadOnlyDictionary<string, string> parameters)
    {
        var arguments = new List<string> { "eng/sam_transform.py", templatePath };
        foreach (var (name, value) in parameters) arguments.AddRange(["--parameter", $"{name}={value}"]);
        var result = await Tool.RunAsync("python3", arguments);
        Assert.True(result.ExitCode == 0, $"The SAM transform failed: {result}");
        return JsonNode.Parse(result.Output)!.AsObject();
    }

    public static GrantedPermissions Of(JsonObject transformed, string functionId)
    {
        var resources = transformed["Resources"]!.AsObject();
        var role = resources[functionId]!["Properties"]!["Role"]!["Fn::GetAtt"]![0]!.GetValue<string>();
        var roleProperties = resources[role]!["Properties"]!;

        var inline = new HashSet<IamUse>();
        foreach (var policy in roleProperties["Policies"]?.AsArray() ?? [])
        {
            foreach (var statement in policy!["PolicyDocument"]!["Statement"]!.AsArray())
            {
                Assert.Equal("Allow", statement!["Effect"]!.GetValue<string>());
                foreach (var action in Many(statement["Action"]))
                {
                    foreach (var resource in Many(statement["Resource"])) inline.Add(new IamUse(action.GetValue<string>(), ResourceLabel(resource, resources)));
                }
            }
        }

        var managed = (roleProperties["ManagedPolicyArns"]?.AsArray() ?? [])
            .Select(arn => arn is JsonValue text ? text.GetValue<string>() : arn!["Fn::Sub"]!.GetValue<string>())
            .Select(arn => arn[(arn.LastIndexOf('/') + 1)..])
            .ToHashSet();
        return new GrantedPermissions(inline, managed);
    }

    /// <summary>
    /// The table, one of its indexes, one method of <c>@connections</c>, or a queue of the stack (<c>queue/{logical id}</c>,
    /// as the SQS stand-in labels the queue a request names): what a statement's resource names.
    /// </summary>
    private static string ResourceLabel(JsonNode resource, JsonObject resources)
    {
        if (resource["Fn::GetAtt"] is JsonArray { Count: 2 } getAtt && getAtt[1]!.GetValue<string>() == "Arn"
            && resources[getAtt[0]!.GetValue<string>()]?["Type"]?.GetValue<string>() == "AWS::SQS::Queue")
        {
            return "queue/" + getAtt[0]!.GetValue<string>();
        }
        var text = resource.ToJsonString();
        if (text.Contains("execute-api", StringComparison.Ordinal))
        {
            var sub = resource["Fn::Sub"]!.GetValue<string>();
            var path = sub[(sub.IndexOf("${StageName}/", StringComparison.Ordinal) + "${StageName}/".Length)..];
            return $"{path[..path.IndexOf('/')]} @connections";
        }
        if (text.Contains("/index/", StringComparison.Ordinal))
        {
            var sub = resource["Fn::Sub"]!.GetValue<string>();
            return "index/" + sub[(sub.IndexOf("/index/", StringComparison.Ordinal) + "/index/".Length)..];
        }
        if (text.Contains("ConnectionsTable", StringComparison.Ordinal)) return "table";
        throw new InvalidOperationException($"A statement names a resource the tests do not know: {text}");
    }

    private static IEnumerable<JsonNode> Many(JsonNode? node) => node is JsonArray array ? array.Select(item => item!) : node is null ? [] : [node];
}
