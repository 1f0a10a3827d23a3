using System.Text.Json;

namespace Realtime.Smoke;

/// <summary>
/// The outputs of a deployed stack, as saved by
/// <c>aws cloudformation describe-stacks --stack-name NAME --query "Stacks[0].Outputs" &gt; outputs.json</c>:
/// a list of <c>{"OutputKey":...,"OutputValue":...}</c>. The whole describe-stacks answer is read too, so a file
/// saved without the query works.
/// </summary>
internal sealed class StackOutputs
{
    public const string WebSocketUrl = "WebSocketUrl";
    public const string PublishQueueUrl = "PublishQueueUrl";

    private const string HowToSave = "save it with: aws cloudformation describe-stacks --stack-name NAME --query \"Stacks[0].Outputs\" > outputs.json";

    private readonly IReadOnlyDictionary<string, string> _values;

    private StackOutputs(string file, IReadOnlyDictionary<string, string> values)
    {
        File = file;
        _values = values;
    }

    public string File { get; }

    public static StackOutputs Read(string file)
    {
        string text;
        try
        {
            text = System.IO.File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new SmokeOptionsException($"--stack-outputs: cannot read {file}: {e.Message}");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new SmokeOptionsException($"--stack-outputs: {file} is not JSON ({e.Message}); {HowToSave}");
        }
        using (document)
        {
            var list = OutputList(document.RootElement)
                ?? throw new SmokeOptionsException($"--stack-outputs: {file} is not a list of {{\"OutputKey\",\"OutputValue\"}}; {HowToSave}");
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var output in list.EnumerateArray())
            {
                if (output.ValueKind == JsonValueKind.Object
                    && output.TryGetProperty("OutputKey", out var key) && key.ValueKind == JsonValueKind.String
                    && output.TryGetProperty("OutputValue", out var value) && value.ValueKind == JsonValueKind.String)
                {
                    values[key.GetString()!] = value.GetString()!;
                }
                else
                {
                    throw new SmokeOptionsException($"--stack-outputs: {file} holds an entry without a string OutputKey and OutputValue: {output.GetRawText()}");
                }
            }
            return new StackOutputs(file, values);
        }
    }

    /// <summary>The value of an output the smoke test cannot do without.</summary>
    public string Require(string key) =>
        _values.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value)
            ? value
            : throw new SmokeOptionsException(
                $"--stack-outputs: {File} has no {key} output (it has {(_values.Count == 0 ? "none" : string.Join(", ", _values.Keys))}); "
                + "is it a stack deployed from serverless.template?");

    // [...] as the query saves it; {"Stacks":[{"Outputs":[...]}]} as describe-stacks answers without it.
    private static JsonElement? OutputList(JsonElement root) => root.ValueKind switch
    {
        JsonValueKind.Array => root,
        JsonValueKind.Object when root.TryGetProperty("Stacks", out var stacks) && stacks.ValueKind == JsonValueKind.Array && stacks.GetArrayLength() > 0
            => OutputList(stacks[0]),
        JsonValueKind.Object when root.TryGetProperty("Outputs", out var outputs) && outputs.ValueKind == JsonValueKind.Array => outputs,
        _ => null,
    };
}
