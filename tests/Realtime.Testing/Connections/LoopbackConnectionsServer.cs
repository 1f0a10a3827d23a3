using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Realtime.Connect.Management;

namespace Realtime.Testing.Connections;

/// <summary>
/// A real Kestrel server on a free loopback port that plays API Gateway's <c>@connections</c>:
/// <c>POST|GET|DELETE {basePath}/@connections/{id}</c> (<c>@</c> raw or <c>%40</c>, the id decoded once), 200 / 200 JSON /
/// 204 for live connections and 410 with <c>x-amzn-ErrorType: GoneException</c> and an empty body otherwise, 413 over
/// 131,072 bytes. Every request must carry a well-formed <c>AWS4-HMAC-SHA256 Credential=.../execute-api/aws4_request</c>
/// header; by default the signature is also recomputed from the raw request (see <see cref="SigV4Reference"/>) for
/// the credentials it knows. Tests script answers per connection (429, 500, hang, reset, slow) and read every call.
/// </summary>
public sealed class LoopbackConnectionsServer : IAsyncDisposable
{
    public const int MaxPayloadBytes = 128 * 1024;

    private readonly WebApplication _app;
    private readonly Options _options;
    private readonly ConcurrentDictionary<string, Live> _live = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<ConnectionsAnswer>> _scripts = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ReceivedCall> _calls = new();
    private readonly CancellationTokenSource _stopping = new();

    private LoopbackConnectionsServer(WebApplication app, Options options)
    {
        _app = app;
        _options = options;
    }

    /// <summary>How the server is set up.</summary>
    /// <param name="BasePath">The stage or custom-domain base path the endpoint ends with; empty for none.</param>
    /// <param name="Secrets">Access key → secret key of the credentials whose signatures are verified.</param>
    /// <param name="VerifySignatures">When false only the form of the Authorization header is checked.</param>
    /// <param name="Clock">Stamps <see cref="ReceivedCall.ReceivedAt"/>; the system clock by default.</param>
    public sealed record Options(string BasePath = "local", IReadOnlyDictionary<string, string>? Secrets = null, bool VerifySignatures = true, TimeProvider? Clock = null)
    {
        public IReadOnlyDictionary<string, string> KnownSecrets => Secrets ?? new Dictionary<string, string>
        {
            [ConnectionsClientOptions.LocalAccessKey] = ConnectionsClientOptions.LocalSecretKey,
        };
    }

    /// <summary>The @connections endpoint: <c>http://127.0.0.1:{port}/{basePath}</c>.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Every request received so far, in arrival order.</summary>
    public IReadOnlyList<ReceivedCall> Calls => _calls.ToArray();

    public static async Task<LoopbackConnectionsServer> StartAsync(Options? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new Options();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Limits.MaxRequestBodySize = 4 * MaxPayloadBytes;
        });
        var app = builder.Build();
        var server = new LoopbackConnectionsServer(app, options);
        app.Run(server.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        var basePath = options.BasePath.Trim('/');
        server.Endpoint = new Uri(basePath.Length == 0 ? address : $"{address.TrimEnd('/')}/{basePath}", UriKind.Absolute);
        return server;
    }

    /// <summary>Makes <paramref name="connectionId"/> a live connection: posts reach it, GET describes it, DELETE closes it.</summary>
    public void Connect(string connectionId, DateTimeOffset? connectedAt = null, string sourceIp = "203.0.113.10", string? userAgent = "loopback-test")
    {
        var at = connectedAt ?? Now;
        _live[connectionId] = new Live(at, sourceIp, userAgent) { LastActiveAt = at };
    }

    /// <summary>Forgets the connection: from now on it is gone (410).</summary>
    public void Disconnect(string connectionId) => _live.TryRemove(connectionId, out _);

    public bool IsLive(string connectionId) => _live.ContainsKey(connectionId);

    /// <summary>Answers the next requests for <paramref name="connectionId"/> with <paramref name="answers"/>, in order, then normally.</summary>
    public void Script(string connectionId, params ConnectionsAnswer[] answers)
    {
        var queue = _scripts.GetOrAdd(connectionId, static _ => new ConcurrentQueue<ConnectionsAnswer>());
        foreach (var answer in answers) queue.Enqueue(answer);
    }

    /// <summary>The bodies posted to a live connection and accepted (200), in arrival order.</summary>
    public IReadOnlyList<byte[]> MessagesTo(string connectionId) =>
        _live.TryGetValue(connectionId, out var live) ? live.Messages.ToArray() : [];

    /// <summary>Every request received for <paramref name="connectionId"/>.</summary>
    public IReadOnlyList<ReceivedCall> CallsFor(string connectionId) => _calls.Where(c => c.ConnectionId == connectionId).ToArray();

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private DateTimeOffset Now => (_options.Clock ?? TimeProvider.System).GetUtcNow();

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var rawTarget = context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
        var queryAt = rawTarget.IndexOf('?');
        var rawPath = queryAt < 0 ? rawTarget : rawTarget[..queryAt];
        var rawQuery = queryAt < 0 ? null : rawTarget[(queryAt + 1)..];

        if (!TryParseConnectionId(rawPath, out var connectionId))
        {
            await AnswerAsync(context.Response, 403, "ForbiddenException", """{"message":"Forbidden"}""").ConfigureAwait(false);
            return;
        }

        var body = await ReadBodyAsync(request, context.RequestAborted).ConfigureAwait(false);
        var call = new ReceivedCall(
            request.Method, rawTarget, connectionId,
            request.Headers.Authorization.FirstOrDefault(),
            request.Headers["X-Amz-Date"].FirstOrDefault(),
            request.Headers["X-Amz-Security-Token"].FirstOrDefault(),
            request.Headers["X-Amz-Content-Sha256"].FirstOrDefault(),
            body,
            Now)
        {
            TraceHeader = request.Headers["X-Amzn-Trace-Id"].FirstOrDefault(),
        };
        _calls.Enqueue(call);

        if (CheckSignature(request, rawPath, rawQuery, call) is { } refusal)
        {
            call.AnsweredStatus = 403;
            await AnswerAsync(context.Response, 403, refusal.ErrorType, JsonSerializer.Serialize(new { message = refusal.Message })).ConfigureAwait(false);
            return;
        }

        if (_scripts.TryGetValue(connectionId, out var script) && script.TryDequeue(out var answer))
        {
            switch (answer)
            {
                case ConnectionsAnswer.StatusAnswer status:
                    call.AnsweredStatus = status.StatusCode;
                    await AnswerAsync(context.Response, status.StatusCode, status.ErrorType, status.Body).ConfigureAwait(false);
                    return;
                case ConnectionsAnswer.HangAnswer:
                    using (var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token))
                    {
                        await Task.Delay(Timeout.Infinite, linked.Token).ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
                    }
                    context.Abort();
                    return;
                case ConnectionsAnswer.ResetAnswer:
                    context.Abort();
                    return;
                case ConnectionsAnswer.AfterAnswer after:
                    await after.Release.WaitAsync(context.RequestAborted).ConfigureAwait(false);
                    break;
            }
        }

        await BehaveAsync(context.Response, request.Method, connectionId, body, call).ConfigureAwait(false);
    }

    private async Task BehaveAsync(HttpResponse response, string method, string connectionId, byte[] body, ReceivedCall call)
    {
        if (!_live.TryGetValue(connectionId, out var live))
        {
            call.AnsweredStatus = 410;
            await AnswerAsync(response, 410, "GoneException", null).ConfigureAwait(false);
            return;
        }

        switch (method)
        {
            case "POST" when body.Length > MaxPayloadBytes:
                call.AnsweredStatus = 413;
                await AnswerAsync(response, 413, "PayloadTooLargeException", """{"message":"Request entity too large"}""").ConfigureAwait(false);
                return;
            case "POST":
                live.Messages.Enqueue(body);
                live.LastActiveAt = Now;
                call.AnsweredStatus = 200;
                await AnswerAsync(response, 200, null, null).ConfigureAwait(false);
                return;
            case "GET":
                call.AnsweredStatus = 200;
                var document = JsonSerializer.Serialize(new
                {
                    connectedAt = Iso(live.ConnectedAt),
                    identity = new { sourceIp = live.SourceIp, userAgent = live.UserAgent },
                    lastActiveAt = Iso(live.LastActiveAt),
                });
                await AnswerAsync(response, 200, null, document).ConfigureAwait(false);
                return;
            case "DELETE":
                _live.TryRemove(connectionId, out _);
                call.AnsweredStatus = 204;
                await AnswerAsync(response, 204, null, null).ConfigureAwait(false);
                return;
            default:
                call.AnsweredStatus = 403;
                await AnswerAsync(response, 403, "ForbiddenException", """{"message":"Missing Authentication Token"}""").ConfigureAwait(false);
                return;
        }
    }

    private (string ErrorType, string Message)? CheckSignature(HttpRequest request, string rawPath, string? rawQuery, ReceivedCall call)
    {
        var authorization = SigV4Reference.Authorization.Parse(call.Authorization);
        if (call.Authorization is null) return ("MissingAuthenticationTokenException", "Missing Authentication Token");
        if (authorization is null || authorization.Service != "execute-api" || call.AmzDate is null || !authorization.SignedHeaders.Contains("host"))
        {
            return ("IncompleteSignatureException", $"Authorization header requires an execute-api AWS4-HMAC-SHA256 credential scope: {call.Authorization}");
        }
        if (!_options.VerifySignatures) return null;

        if (!_options.KnownSecrets.TryGetValue(authorization.AccessKey, out var secret))
        {
            return ("UnrecognizedClientException", "The security token included in the request is invalid.");
        }
        var payloadHash = SigV4Reference.PayloadHash(call.Body);
        if (call.ContentSha256 is { } claimed && claimed != payloadHash)
        {
            return ("InvalidSignatureException", "The x-amz-content-sha256 header does not match the body.");
        }

        var headers = authorization.SignedHeaders
            .Select(name => new KeyValuePair<string, string>(name, name == "host" ? request.Host.Value ?? "" : request.Headers[name].ToString()))
            .ToList();
        var input = new SigV4Reference.Input(request.Method, rawPath, rawQuery, headers, payloadHash,
            authorization.AccessKey, secret, authorization.Region, authorization.Service, call.AmzDate);
        var expected = SigV4Reference.Sign(input);
        return expected.Signature == authorization.Signature
            ? null
            : ("InvalidSignatureException", $"The request signature we calculated does not match the signature you provided.\n\nThe Canonical String for this request should have been\n'{expected.CanonicalRequest}'");
    }

    private bool TryParseConnectionId(string rawPath, out string connectionId)
    {
        connectionId = "";
        var basePath = _options.BasePath.Trim('/');
        var prefix = basePath.Length == 0 ? "/" : $"/{basePath}/";
        if (!rawPath.StartsWith(prefix, StringComparison.Ordinal)) return false;
        var rest = rawPath[prefix.Length..];
        foreach (var segment in (ReadOnlySpan<string>)["%40connections/", "@connections/"])
        {
            if (!rest.StartsWith(segment, StringComparison.OrdinalIgnoreCase)) continue;
            var id = rest[segment.Length..];
            if (id.Length == 0 || id.Contains('/')) return false;
            connectionId = Uri.UnescapeDataString(id);
            return true;
        }
        return false;
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }

    private static Task AnswerAsync(HttpResponse response, int statusCode, string? errorType, string? body)
    {
        response.StatusCode = statusCode;
        response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        if (errorType is not null) response.Headers["x-amzn-ErrorType"] = errorType;
        if (body is null)
        {
            response.ContentLength = 0;
            return Task.CompletedTask;
        }
        var bytes = Encoding.UTF8.GetBytes(body);
        response.ContentType = "application/json";
        response.ContentLength = bytes.Length;
        return response.Body.WriteAsync(bytes).AsTask();
    }

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private sealed class Live(DateTimeOffset connectedAt, string sourceIp, string? userAgent)
    {
        public DateTimeOffset ConnectedAt { get; } = connectedAt;
        public string SourceIp { get; } = sourceIp;
        public string? UserAgent { get; } = userAgent;
        public DateTimeOffset LastActiveAt { get; set; }
        public ConcurrentQueue<byte[]> Messages { get; } = new();
    }
}
