using System.Text;
using System.Text.Json;

namespace Realtime.Smoke;

/// <summary>
/// A token from the local host's <c>POST /dev/token</c>, for a run against the local host without <c>--token</c>.
/// The host's authorizer checks it like any other token (docs/identity.md).
/// </summary>
internal static class DevelopmentTokens
{
    public static async Task<string> RequestAsync(HttpClient http, Uri localUrl, string user, CancellationToken cancellationToken)
    {
        var endpoint = new Uri(localUrl, "dev/token");
        using var content = new StringContent(JsonSerializer.Serialize(new Dictionary<string, string> { ["sub"] = user }), Encoding.UTF8, "application/json");
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsync(endpoint, content, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new StepFailedException($"cannot reach the local host at {localUrl}: {e.Message} (is it running? dotnet run --project src/Realtime.Local)");
        }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new StepFailedException($"POST {endpoint} answered {(int)response.StatusCode} {response.ReasonPhrase}; is --local the local host's base URL?");
            }
            try
            {
                using var json = JsonDocument.Parse(body);
                if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("token", out var token)
                    && token.ValueKind == JsonValueKind.String && token.GetString() is { Length: > 0 } value)
                {
                    return value;
                }
            }
            catch (JsonException)
            {
            }
            throw new StepFailedException($"POST {endpoint} answered without a token; is --local the local host's base URL?");
        }
    }
}
