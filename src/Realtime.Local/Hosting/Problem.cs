using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Realtime.Local.Hosting;

/// <summary>A short <c>application/problem+json</c> answer for requests the host refuses before any endpoint runs.</summary>
internal static class Problem
{
    public static Task WriteAsync(HttpResponse response, int status, string title, string detail)
    {
        response.StatusCode = status;
        response.ContentType = "application/problem+json";
        response.Headers.CacheControl = "no-store";
        // Encoded, since the detail names what the client sent.
        return response.WriteAsync($"{{\"title\":\"{JsonEncodedText.Encode(title)}\",\"status\":{status},\"detail\":\"{JsonEncodedText.Encode(detail)}\"}}\n");
    }
}
