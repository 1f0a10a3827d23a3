using System.Text.Json.Nodes;
using Realtime.Testing;

namespace Realtime.Deployment.Tests.Infrastructure;

/// <summary>Reads what the tests need from a SAM template: its functions, their handlers and their environments.</summary>
public static class SamTemplate
{
    public static JsonObject Source => JsonNode.Parse(File.ReadAllText(RepositoryFiles.Template))!.AsObject();

    public static JsonObject Resources(JsonObject template) => template["Resources"]!.AsObject();

    public static IEnumerable<string> ResourcesOfType(JsonObject template, string type) =>
        Resources(template).Where(resource => resource.Value!["Type"]!.GetValue<string>() == type).Select(resource => resource.Key);

    public static IReadOnlyList<string> FunctionIds(JsonObject template) => ResourcesOfType(template, "AWS::Serverless::Function").ToList();

    public static JsonObject Function(JsonObject template, string functionId) => Resources(template)[functionId]!.AsObject();

    public static string HandlerOf(JsonObject template, string functionId) =>
        Function(template, functionId)["Properties"]!["Handler"]!.GetValue<string>();

    /// <summary>The function's environment variables: Globals first, the function's own over them, unresolved.</summary>
    public static IReadOnlyDictionary<string, JsonNode?> EnvironmentOf(JsonObject template, string functionId)
    {
        var variables = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var source in new[] { template["Globals"]?["Function"], Function(template, functionId)["Properties"] })
        {
            if (source?["Environment"]?["Variables"] is JsonObject declared)
            {
                foreach (var (name, value) in declared) variables[name] = value;
            }
        }
        return variables;
    }

    /// <summary>A parameter's default, or null when it has none.</summary>
    public static string? DefaultOf(JsonObject template, string parameter) =>
        template["Parameters"]?[parameter]?["Default"]?.ToString();

    /// <summary>
    /// The function's environment as Lambda would see it: literals as they are, a <c>Ref</c> to a parameter from
    /// <paramref name="parameters"/> or its default, and every value AWS computes (a table name, an endpoint) from
    /// <paramref name="standIns"/>, by variable name. A value the test cannot resolve fails it, naming the variable.
    /// </summary>
    public static Dictionary<string, string> ResolveEnvironment(
        JsonObject template, string functionId, IReadOnlyDictionary<string, string> parameters, IReadOnlyDictionary<string, string> standIns)
    {
        var resolved = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in EnvironmentOf(template, functionId))
        {
            if (standIns.TryGetValue(name, out var standIn)) resolved[name] = standIn;
            else if (value is JsonValue literal) resolved[name] = literal.ToString();
            else if (value?["Ref"]?.GetValue<string>() is { } reference && template["Parameters"]?[reference] is not null)
                resolved[name] = parameters.TryGetValue(reference, out var given) ? given : DefaultOf(template, reference) ?? "";
            else throw new InvalidOperationException($"{functionId}: no stand-in for {name} = {value?.ToJsonString()}.");
        }
        return resolved;
    }
}
