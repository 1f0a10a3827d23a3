using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Realtime.Connect.Hosting.Metrics;
using Realtime.Router.Publishing;

namespace Realtime.Local.Publishing;

/// <summary>
/// <c>POST /publish</c>: what a backend does on AWS by sending to the publish queue, done over HTTP. The same
/// <see cref="Publisher"/> checks and fans out the request, so what is refused here is refused on AWS.
/// Answers: 200 with the event's messageId and the delivery counts, 202 with the messageId and the number of shards
/// when the audience is large enough to be sharded, 400 for a bad request, 401 without the key, 403 from another machine.
/// </summary>
public static class PublishEndpoint
{
    public static IEndpointConventionBuilder MapPublish(this IEndpointRouteBuilder endpoints, PublishEndpointOptions options) =>
        endpoints.MapPost("/publish", async (HttpContext http, Publisher publisher) =>
        {
            if (options.LoopbackOnly && http.Connection.RemoteIpAddress is { } remote && !IPAddress.IsLoopback(remote))
            {
                return Problem(StatusCodes.Status403Forbidden, "POST /publish accepts only callers on this machine.");
            }
            if (options.Key.Length > 0 && !KeyMatches(http.Request.Headers[PublishEndpointOptions.KeyHeader], options.Key))
            {
                return Problem(StatusCodes.Status401Unauthorized, $"Send the publish key in the {PublishEndpointOptions.KeyHeader} header.");
            }

            string body;
            using (var reader = new StreamReader(http.Request.Body, Encoding.UTF8))
            {
                body = await reader.ReadToEndAsync(http.RequestAborted);
            }
            if (!Publisher.TryRead(body, out var request, out var error)) return Problem(StatusCodes.Status400BadRequest, error);

            // Counted as the publish function counts a record, so GET /metrics shows local publishing too.
            var metrics = new FunctionMetrics(FunctionMetrics.Publish, http.RequestServices.GetService<IMetricsSink>());
            using var recording = metrics.Start();
            try
            {
                var started = metrics.TimeProvider.GetTimestamp();
                var messageId = Guid.CreateVersion7().ToString();
                var result = await publisher.PublishAsync(request, messageId, http.RequestAborted);
                InvocationMetrics.Current?.Observe(Metric.PublishLatency, metrics.TimeProvider.GetElapsedTime(started).TotalMilliseconds);
                // A large audience is sharded, as on AWS: accepted now, delivered by the host's shard worker.
                return result.Report is { } report
                    ? Results.Json(new PublishAnswer(messageId, report.Delivered, report.Gone, report.Failed), PublishJsonContext.Default.PublishAnswer)
                    : Results.Json(new PublishQueued(messageId, result.Shards), PublishJsonContext.Default.PublishQueued, statusCode: StatusCodes.Status202Accepted);
            }
            catch (ArgumentException e)
            {
                return Problem(StatusCodes.Status400BadRequest, e.Message);
            }
        });

    private static bool KeyMatches(string? presented, string expected) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));

    private static IResult Problem(int status, string message) =>
        Results.Json(new PublishError(message), PublishJsonContext.Default.PublishError, statusCode: status);
}

public sealed record PublishAnswer(string MessageId, int Delivered, int Gone, int Failed);

public sealed record PublishQueued(string MessageId, int Shards);

public sealed record PublishError(string Error);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
[System.Text.Json.Serialization.JsonSerializable(typeof(PublishAnswer))]
[System.Text.Json.Serialization.JsonSerializable(typeof(PublishQueued))]
[System.Text.Json.Serialization.JsonSerializable(typeof(PublishError))]
internal sealed partial class PublishJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
