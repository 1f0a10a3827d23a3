using System.Text;
using System.Text.Json;

namespace Realtime.Local.Template;

/// <summary>
/// Turns CloudFormation values (literals and the intrinsics <c>Ref</c>, <c>Fn::Sub</c>, <c>Fn::GetAtt</c>,
/// <c>Fn::Join</c>, <c>Fn::Select</c>, <c>Fn::If</c>) into strings, the way a deployment would, with local stand-ins: a
/// resource's <c>Ref</c> is its logical id (its configured name for a table), a function's ARN names its logical id, and
/// the pseudo parameters have fixed local values. <c>Fn::If</c> evaluates the template's <c>Conditions</c>
/// (<c>Fn::Equals</c>, <c>Fn::Not</c>, <c>Fn::And</c>, <c>Fn::Or</c>, <c>Condition</c>) on the same values.
/// </summary>
internal sealed class TemplateValues(
    IReadOnlyDictionary<string, JsonElement> resources,
    IReadOnlyDictionary<string, string> parameters,
    TemplateContext context,
    IReadOnlyDictionary<string, JsonElement>? conditions = null)
{
    public string Resolve(JsonElement value, string where) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        JsonValueKind.Object => ResolveIntrinsic(value, where),
        _ => throw new TemplateException($"{where}: expected a string or an intrinsic function, found {value.ValueKind}."),
    };

    public string? TryResolve(JsonElement value, string where)
    {
        try
        {
            return Resolve(value, where);
        }
        catch (TemplateException)
        {
            return null;
        }
    }

    private string ResolveIntrinsic(JsonElement value, string where)
    {
        using var properties = value.EnumerateObject();
        if (!properties.MoveNext()) throw new TemplateException($"{where}: empty object where a value was expected.");
        var function = properties.Current;
        return function.Name switch
        {
            "Ref" => Ref(function.Value.GetString() ?? throw new TemplateException($"{where}: Ref needs a name."), where),
            "Fn::Sub" => Sub(function.Value, where),
            "Fn::GetAtt" => GetAtt(function.Value, where),
            "Fn::Join" => Join(function.Value, where),
            "Fn::Select" => Select(function.Value, where),
            "Fn::If" => If(function.Value, where),
            _ => throw new TemplateException($"{where}: the intrinsic function {function.Name} is not supported locally."),
        };
    }

    private string Ref(string name, string where)
    {
        if (parameters.TryGetValue(name, out var parameter)) return parameter;
        switch (name)
        {
            case "AWS::Region": return context.Region;
            case "AWS::AccountId": return context.AccountId;
            case "AWS::Partition": return "aws";
            case "AWS::URLSuffix": return "amazonaws.com";
            case "AWS::StackName": return "realtime-local";
            case "AWS::StackId": return $"arn:aws:cloudformation:{context.Region}:{context.AccountId}:stack/realtime-local/local";
            case "AWS::NoValue": return "";
        }
        if (!resources.TryGetValue(name, out var resource)) throw new TemplateException($"{where}: Ref to unknown name '{name}'.");

        return TemplateReader.TypeOf(resource) switch
        {
            "AWS::ApiGatewayV2::Api" => context.ApiId,
            "AWS::DynamoDB::Table" => context.TableName ?? PropertyOr(resource, "TableName", name, where),
            "AWS::SQS::Queue" => $"http://localhost/{context.AccountId}/{name}",
            _ => name,
        };
    }

    private string PropertyOr(JsonElement resource, string property, string fallback, string where) =>
        resource.TryGetProperty("Properties", out var properties) && properties.TryGetProperty(property, out var value)
            ? Resolve(value, $"{where}: {property}")
            : fallback;

    private string GetAtt(JsonElement value, string where)
    {
        string name, attribute;
        if (value.ValueKind == JsonValueKind.String)
        {
            var text = value.GetString()!;
            var dot = text.IndexOf('.');
            if (dot < 0) throw new TemplateException($"{where}: Fn::GetAtt '{text}' needs Resource.Attribute.");
            (name, attribute) = (text[..dot], text[(dot + 1)..]);
        }
        else if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 2)
        {
            name = Resolve(value[0], where);
            attribute = Resolve(value[1], where);
        }
        else
        {
            throw new TemplateException($"{where}: Fn::GetAtt needs [Resource, Attribute].");
        }
        return Attribute(name, attribute, where);
    }

    private string Attribute(string name, string attribute, string where)
    {
        if (!resources.TryGetValue(name, out var resource)) throw new TemplateException($"{where}: Fn::GetAtt of unknown resource '{name}'.");
        var type = TemplateReader.TypeOf(resource);
        return (type, attribute) switch
        {
            ("AWS::Serverless::Function" or "AWS::Lambda::Function", "Arn") => FunctionArn(name),
            ("AWS::SQS::Queue", "Arn") => $"arn:aws:sqs:{context.Region}:{context.AccountId}:{name}",
            ("AWS::SQS::Queue", "QueueName") => name,
            ("AWS::DynamoDB::Table", "Arn") => $"arn:aws:dynamodb:{context.Region}:{context.AccountId}:table/{Ref(name, where)}",
            ("AWS::ApiGatewayV2::Api", "ApiEndpoint") => $"wss://{context.ApiId}.execute-api.{context.Region}.amazonaws.com",
            _ => $"arn:aws:local:{context.Region}:{context.AccountId}:{name}/{attribute}",
        };
    }

    public string FunctionArn(string logicalId) => $"arn:aws:lambda:{context.Region}:{context.AccountId}:function:{logicalId}";

    private string Sub(JsonElement value, string where)
    {
        string text;
        Dictionary<string, string>? variables = null;
        if (value.ValueKind == JsonValueKind.String)
        {
            text = value.GetString()!;
        }
        else if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 2 && value[0].ValueKind == JsonValueKind.String)
        {
            text = value[0].GetString()!;
            variables = [];
            foreach (var variable in value[1].EnumerateObject()) variables[variable.Name] = Resolve(variable.Value, where);
        }
        else
        {
            throw new TemplateException($"{where}: Fn::Sub needs a string or [string, {{variables}}].");
        }

        var result = new StringBuilder(text.Length);
        var position = 0;
        while (position < text.Length)
        {
            var start = text.IndexOf("${", position, StringComparison.Ordinal);
            if (start < 0)
            {
                result.Append(text, position, text.Length - position);
                break;
            }
            result.Append(text, position, start - position);
            var end = text.IndexOf('}', start + 2);
            if (end < 0) throw new TemplateException($"{where}: unterminated '${{' in Fn::Sub.");
            var name = text[(start + 2)..end];
            if (name.StartsWith('!'))
            {
                result.Append("${").Append(name, 1, name.Length - 1).Append('}');
            }
            else if (variables is not null && variables.TryGetValue(name, out var local))
            {
                result.Append(local);
            }
            else
            {
                var dot = name.IndexOf('.');
                result.Append(dot > 0 && !name.StartsWith("AWS::", StringComparison.Ordinal)
                    ? Attribute(name[..dot], name[(dot + 1)..], where)
                    : Ref(name, where));
            }
            position = end + 1;
        }
        return result.ToString();
    }

    private string Join(JsonElement value, string where)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() != 2 || value[1].ValueKind != JsonValueKind.Array)
        {
            throw new TemplateException($"{where}: Fn::Join needs [delimiter, [values]].");
        }
        var delimiter = Resolve(value[0], where);
        return string.Join(delimiter, value[1].EnumerateArray().Select(item => Resolve(item, where)));
    }

    private string Select(JsonElement value, string where)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() != 2 || value[1].ValueKind != JsonValueKind.Array)
        {
            throw new TemplateException($"{where}: Fn::Select needs [index, [values]].");
        }
        var index = int.Parse(Resolve(value[0], where), System.Globalization.CultureInfo.InvariantCulture);
        var items = value[1];
        if (index < 0 || index >= items.GetArrayLength()) throw new TemplateException($"{where}: Fn::Select index {index} is out of range.");
        return Resolve(items[index], where);
    }

    private string If(JsonElement value, string where)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() != 3 || value[0].ValueKind != JsonValueKind.String)
        {
            throw new TemplateException($"{where}: Fn::If needs [condition, value if true, value if false].");
        }
        return Resolve(Condition(value[0].GetString()!, where) ? value[1] : value[2], where);
    }

    private bool Condition(string name, string where) =>
        conditions is not null && conditions.TryGetValue(name, out var condition)
            ? IsTrue(condition, $"{where}: condition {name}")
            : throw new TemplateException($"{where}: unknown condition '{name}'.");

    private bool IsTrue(JsonElement condition, string where)
    {
        if (condition.ValueKind == JsonValueKind.Object)
        {
            using var properties = condition.EnumerateObject();
            if (properties.MoveNext())
            {
                var arguments = properties.Current.Value;
                var isList = arguments.ValueKind == JsonValueKind.Array;
                switch (properties.Current.Name)
                {
                    case "Condition" when arguments.ValueKind == JsonValueKind.String:
                        return Condition(arguments.GetString()!, where);
                    case "Fn::Equals" when isList && arguments.GetArrayLength() == 2:
                        return Resolve(arguments[0], where) == Resolve(arguments[1], where);
                    case "Fn::Not" when isList && arguments.GetArrayLength() == 1:
                        return !IsTrue(arguments[0], where);
                    case "Fn::And" when isList:
                        return arguments.EnumerateArray().All(c => IsTrue(c, where));
                    case "Fn::Or" when isList:
                        return arguments.EnumerateArray().Any(c => IsTrue(c, where));
                }
            }
        }
        throw new TemplateException($"{where}: expected Fn::Equals, Fn::Not, Fn::And, Fn::Or or Condition.");
    }
}

/// <summary>The local stand-ins for what a deployment would provide.</summary>
/// <param name="ApiId">What <c>Ref</c> of the WebSocket API gives.</param>
/// <param name="Region">AWS::Region.</param>
/// <param name="AccountId">AWS::AccountId.</param>
/// <param name="TableName">What <c>Ref</c> of a DynamoDB table gives, when configured.</param>
/// <param name="ParameterOverrides">Template parameter values that replace their defaults.</param>
public sealed record TemplateContext(
    string ApiId,
    string Region = "us-east-1",
    string AccountId = "000000000000",
    string? TableName = null,
    IReadOnlyDictionary<string, string>? ParameterOverrides = null);
