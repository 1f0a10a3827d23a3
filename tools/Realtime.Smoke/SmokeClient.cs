using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Realtime.Smoke;

/// <summary>
/// The client side of docs/protocol.md over one <see cref="ClientWebSocket"/>. One loop reads every message into a
/// queue, so a step that gives up waiting leaves the socket intact and it can still be closed cleanly.
/// </summary>
internal sealed class SmokeClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly Channel<Incoming> _incoming = Channel.CreateUnbounded<Incoming>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _stop = new();
    private Task _reading = Task.CompletedTask;
    private int _lastId;

    private SmokeClient() => _socket.Options.CollectHttpResponseDetails = true;

    /// <summary>Opens the socket; a refused handshake fails with its status and what it usually means.</summary>
    public static async Task<SmokeClient> ConnectAsync(Uri url, string? token, TokenSource tokenSource, CancellationToken cancellationToken)
    {
        var client = new SmokeClient();
        try
        {
            await client._socket.ConnectAsync(WithToken(url, token), cancellationToken);
        }
        catch (WebSocketException e)
        {
            var status = (int)client._socket.HttpStatusCode;
            await client.DisposeAsync();
            throw new StepFailedException(status is > 0 and not 101
                ? HandshakeRefusal.Describe(status, tokenSource)
                : $"cannot open {url}: {Innermost(e).Message}");
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
        client._reading = client.ReadAllAsync(client._stop.Token);
        return client;
    }

    /// <summary>Sends a ping and waits for its pong.</summary>
    public Task PingAsync(CancellationToken cancellationToken) => RequestAsync("ping", topic: null, "pong", cancellationToken);

    /// <summary>Subscribes and waits for the ack.</summary>
    public Task SubscribeAsync(string topic, CancellationToken cancellationToken) => RequestAsync("subscribe", topic, "ack", cancellationToken);

    /// <summary>Waits for <c>{"type":"event","topic":topic,...,"data":{"nonce":nonce}}</c>; returns when it arrived (a <see cref="Stopwatch"/> timestamp).</summary>
    public async Task<long> WaitForEventAsync(string topic, string nonce, CancellationToken cancellationToken)
    {
        while (true)
        {
            // Anything else is skipped: another publisher may be using the same topic.
            var incoming = await NextAsync(cancellationToken);
            var root = incoming.Json;
            if (Text(root, "type") == "event" && Text(root, "topic") == topic
                && root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object && Text(data, "nonce") == nonce)
            {
                return incoming.ArrivedAt;
            }
        }
    }

    /// <summary>Closes with 1000 and waits for the server's close frame, if the socket is still open.</summary>
    public async Task CloseAsync(CancellationToken cancellationToken)
    {
        if (_socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived)) return;
        try
        {
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "smoke test done", cancellationToken);
            await _reading.WaitAsync(cancellationToken);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The run's outcome is already decided; disposing aborts what is left of the connection.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        await _reading;
        _stop.Dispose();
    }

    private async Task RequestAsync(string action, string? topic, string expectedType, CancellationToken cancellationToken)
    {
        var id = (++_lastId).ToString(CultureInfo.InvariantCulture);
        await _socket.SendAsync(Request(action, topic, id), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        while (true)
        {
            var root = (await NextAsync(cancellationToken)).Json;
            if (root.TryGetProperty("id", out var answerId) && answerId.ValueKind == JsonValueKind.String && answerId.GetString() == id)
            {
                var type = Text(root, "type");
                if (type == expectedType) return;
                if (type == "error") throw new ErrorAnswerException(Text(root, "code") ?? "(no code)", Text(root, "message") ?? "");
                throw new StepFailedException($"expected {expectedType}, the server answered {root.GetRawText()}");
            }
            // API Gateway's own frames carry no id; one request is outstanding at a time, so it is this one's answer.
            if (root.ValueKind == JsonValueKind.Object && !root.TryGetProperty("type", out _) && Text(root, "message") is { } gatewayMessage)
            {
                throw new StepFailedException(GatewayFrame(gatewayMessage));
            }
        }
    }

    private static string GatewayFrame(string message) => $"API Gateway answered \"{message}\": " + message switch
    {
        "Internal server error" => "the message function failed; see its logs",
        "Endpoint request timed out" => "the message function ran past the integration timeout",
        "Forbidden" => "no route matched and there is no $default route; is it a stack deployed from serverless.template?",
        _ => "unexpected for this request",
    };

    private async Task<Incoming> NextAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _incoming.Reader.ReadAsync(cancellationToken);
        }
        catch (ChannelClosedException e)
        {
            throw new StepFailedException(e.InnerException?.Message ?? "the connection is closed");
        }
    }

    private async Task ReadAllAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        var message = new ArrayBufferWriter<byte>();
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    var reason = string.IsNullOrEmpty(result.CloseStatusDescription) ? "" : $" \"{result.CloseStatusDescription}\"";
                    _incoming.Writer.TryComplete(new StepFailedException($"the server closed the connection ({(int?)result.CloseStatus}{reason})"));
                    return;
                }
                message.Write(buffer.AsSpan(0, result.Count));
                if (!result.EndOfMessage) continue;
                _incoming.Writer.TryWrite(new Incoming(Parse(message.WrittenSpan), Stopwatch.GetTimestamp()));
                message.ResetWrittenCount();
            }
        }
        catch (Exception e)
        {
            _incoming.Writer.TryComplete(new StepFailedException($"the connection failed: {Innermost(e).Message}"));
        }
    }

    // A frame that is not JSON is kept as a JSON string, so it is skipped like any other unexpected message.
    private static JsonElement Parse(ReadOnlySpan<byte> utf8)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8.ToArray());
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(Encoding.UTF8.GetString(utf8));
        }
    }

    private static byte[] Request(string action, string? topic, string id)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("action", action);
            if (topic is not null) json.WriteString("topic", topic);
            json.WriteString("id", id);
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static Uri WithToken(Uri url, string? token)
    {
        if (token is null) return url;
        var builder = new UriBuilder(url);
        var query = builder.Query.TrimStart('?');
        builder.Query = (query.Length == 0 ? "" : query + "&") + "token=" + Uri.EscapeDataString(token);
        return builder.Uri;
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static Exception Innermost(Exception e) => e.InnerException is { } inner ? Innermost(inner) : e;

    private readonly record struct Incoming(JsonElement Json, long ArrivedAt);
}
