using System.Net;
using System.Text;
using System.Text.Json;

namespace Realtime.Smoke.Publishers;

/// <summary>
/// The local host's <c>POST /publish</c> with the key in <c>X-Realtime-Publish-Key</c>. The host fans the event out
/// before it answers, so its answer says how many connections were given it.
/// </summary>
internal sealed class LocalPublisher(HttpClient http, Uri localUrl, string publishKey) : IEventPublisher
{
    private const string KeyHeader = "X-Realtime-Publish-Key";

    private readonly Uri _endpoint = new(localUrl, "publish");

    public string Destination => $"POST {_endpoint}";

    public string UndeliveredHint => "the host answered but did not deliver it to this connection; see the host's console";

    public async Task<string> PublishAsync(string requestJson, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = new StringContent(requestJson, Encoding.UTF8, "application/json") };
        request.Headers.Add(KeyHeader, publishKey);
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new StepFailedException($"POST /publish answered {(int)response.StatusCode} {response.ReasonPhrase}: {Refusal(response.StatusCode, body)}");
        }
        var delivered = Number(body, "delivered");
        return delivered is null ? "published" : $"delivered to {delivered} connection{(delivered == 1 ? "" : "s")}";
    }

    private static string Refusal(HttpStatusCode status, string body) => status switch
    {
        HttpStatusCode.Unauthorized => "wrong publish key; pass the one the host prints at start-up (publish ... X-Realtime-Publish-Key: KEY)",
        HttpStatusCode.Forbidden => "the host accepts POST /publish only from its own machine",
        HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed => "no publish endpoint here; is --local the local host's base URL?",
        _ => ErrorText(body),
    };

    private static string ErrorText(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("error", out var error)) return error.ToString();
        }
        catch (JsonException)
        {
        }
        return body.Length > 200 ? body[..200] + "..." : body;
    }

    private static int? Number(string body, string name)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty(name, out var value)
                && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
                ? number
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // The HttpClient belongs to the caller, which also uses it for development tokens.
    public void Dispose()
    {
    }
}
