using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Realtime.Connect.Management;
using ConnectionInfo = Realtime.Connect.Management.ConnectionInfo;
using Realtime.Local.Events;

namespace Realtime.Local.Management;

/// <summary>
/// The Management API over HTTP, at <c>/{stage}/@connections/{connectionId}</c> on the same host as the WebSocket
/// endpoint. The path is decoded once by the server, so <c>%40connections</c> and <c>%3D</c> in the id both work;
/// signatures are not verified. Wire format as API Gateway: POST 200 with an empty body, GET 200 with JSON,
/// DELETE 204, 410 with an empty body and <c>x-amzn-ErrorType: GoneException</c>, 403 <c>{"message":"Forbidden"}</c>
/// for another stage.
/// </summary>
internal static class ConnectionsEndpoint
{
    private const string Segment = "@connections";

    /// <summary>
    /// Whether the path is <c>/{any base path}/@connections[/...]</c>: the endpoint answers, and a base path other than
    /// the configured one gets API Gateway's 403 rather than a 404.
    /// </summary>
    public static bool Matches(PathString path, out string basePath, out string? connectionId)
    {
        basePath = "";
        connectionId = null;
        var value = path.Value;
        if (string.IsNullOrEmpty(value) || value[0] != '/') return false;
        var at = value.IndexOf("/" + Segment, StringComparison.Ordinal);
        if (at < 0) return false;
        var rest = value.AsSpan(at + 1 + Segment.Length);
        if (rest.Length > 0 && rest[0] != '/') return false;
        basePath = value[..at].Trim('/');
        connectionId = rest.Length > 1 ? rest[1..].ToString() : null;
        return true;
    }

    public static async Task HandleAsync(HttpContext context, ConnectionsService connections, string basePath, string? connectionId)
    {
        var response = context.Response;
        response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        if (basePath != connections.BasePath || string.IsNullOrEmpty(connectionId) || connectionId.Contains('/'))
        {
            await WriteErrorAsync(response, ConnectionsService.Forbidden, "Forbidden").ConfigureAwait(false);
            return;
        }

        var method = context.Request.Method;
        if (HttpMethods.IsPost(method))
        {
            var data = await ReadBodyAsync(context.Request, ConnectionsService.MaxPostBytes + 1, context.RequestAborted).ConfigureAwait(false);
            var result = await connections.PostAsync(connectionId, data, context.RequestAborted).ConfigureAwait(false);
            if (result.IsOk) response.StatusCode = StatusCodes.Status200OK;
            else await WriteErrorAsync(response, result, result.Status == ConnectionsStatus.PayloadTooLarge ? "Request entity too large" : null).ConfigureAwait(false);
        }
        else if (HttpMethods.IsGet(method))
        {
            var result = connections.Get(connectionId);
            if (!result.IsOk)
            {
                await WriteErrorAsync(response, result.Result, null).ConfigureAwait(false);
                return;
            }
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/json";
            await response.WriteAsync(InfoJson(result.Value!), context.RequestAborted).ConfigureAwait(false);
        }
        else if (HttpMethods.IsDelete(method))
        {
            var result = connections.Delete(connectionId);
            if (result.IsOk) response.StatusCode = StatusCodes.Status204NoContent;
            else await WriteErrorAsync(response, result, null).ConfigureAwait(false);
        }
        else
        {
            await WriteErrorAsync(response, ConnectionsService.Forbidden, "Forbidden").ConfigureAwait(false);
        }
    }

    private static string InfoJson(ConnectionInfo info)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("connectedAt", RequestClock.Iso8601(info.ConnectedAt.ToUnixTimeMilliseconds()));
            writer.WriteStartObject("identity");
            writer.WriteString("sourceIp", info.SourceIp);
            if (info.UserAgent is null) writer.WriteNull("userAgent");
            else writer.WriteString("userAgent", info.UserAgent);
            writer.WriteEndObject();
            writer.WriteString("lastActiveAt", RequestClock.Iso8601(info.LastActiveAt.ToUnixTimeMilliseconds()));
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    /// <summary>410 has an empty body; the other errors carry <c>{"message":"..."}</c>. All name their type in a header.</summary>
    private static async Task WriteErrorAsync(HttpResponse response, ConnectionsResult result, string? message)
    {
        response.StatusCode = result.HttpStatusCode;
        if (result.ErrorType is { } type) response.Headers["x-amzn-ErrorType"] = type;
        if (message is null)
        {
            response.ContentLength = 0;
            return;
        }
        response.ContentType = "application/json";
        await response.WriteAsync($"{{\"message\":\"{message}\"}}").ConfigureAwait(false);
    }

    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream(request.ContentLength is { } length and < int.MaxValue ? (int)Math.Min(length, limit) : 1024);
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length >= limit) break; // enough to know it is too large
        }
        return buffer.ToArray();
    }
}
