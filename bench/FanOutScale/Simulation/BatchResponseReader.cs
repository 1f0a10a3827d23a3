using System.Text.Json;

namespace Realtime.Bench.FanOutScale.Simulation;

/// <summary>
/// Reads a function's answer to an SQS batch the way Lambda does with <c>ReportBatchItemFailures</c>: no answer, no
/// <c>batchItemFailures</c> or an empty list is full success; the listed ids failed; an answer that is not JSON, or
/// lists an empty, missing or unknown id, fails the whole batch.
/// </summary>
internal static class BatchResponseReader
{
    /// <summary>The ids that failed (empty for full success), or null when the whole batch failed.</summary>
    public static async Task<HashSet<string>?> ReadAsync(Stream? answer, IReadOnlyList<QueuedMessage> batch)
    {
        var failed = new HashSet<string>(StringComparer.Ordinal);
        if (answer is null) return failed;
        await using (answer.ConfigureAwait(false))
        {
            var content = new MemoryStream();
            await answer.CopyToAsync(content).ConfigureAwait(false);
            if (content.Length == 0) return failed;
            content.Position = 0;

            JsonDocument document;
            try
            {
                document = await JsonDocument.ParseAsync(content).ConfigureAwait(false);
            }
            catch (JsonException)
            {
                return null;
            }
            using (document)
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object) return failed;
                if (!TryGetProperty(document.RootElement, "batchItemFailures", out var failures) || failures.ValueKind == JsonValueKind.Null) return failed;
                if (failures.ValueKind != JsonValueKind.Array) return null;

                foreach (var failure in failures.EnumerateArray())
                {
                    if (failure.ValueKind != JsonValueKind.Object
                        || !TryGetProperty(failure, "itemIdentifier", out var identifier)
                        || identifier.ValueKind != JsonValueKind.String
                        || identifier.GetString() is not { Length: > 0 } id
                        || !batch.Any(message => message.MessageId == id))
                    {
                        return null;
                    }
                    failed.Add(id);
                }
                return failed;
            }
        }
    }

    private static bool TryGetProperty(JsonElement element, string name, out JsonElement value)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }
        value = default;
        return false;
    }
}
