using System.Buffers;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Realtime.Smoke.Publishers;

namespace Realtime.Smoke;

/// <summary>
/// The steps, in order: (a development token,) connect, ping, subscribe, publish, receive. Each has the same time
/// limit; the first failure stops the run. The socket is closed cleanly whatever happened.
/// </summary>
internal sealed class SmokeRun(SmokeOptions options, IEventPublisher publisher, HttpClient http, SmokeReport report)
{
    private const string EventName = "smoke";
    private static readonly string[] Steps = ["connect", "ping", "subscribe", "publish", "receive"];

    public async Task<bool> RunAsync(CancellationToken cancellationToken)
    {
        var id = RandomHex(4);
        var user = $"smoke-{id}";
        var topic = options.Topic ?? $"wishlist:smoke-{id}";
        var nonce = RandomHex(8);
        var (token, tokenSource) = (options.Token, options.TokenSource);
        var needsToken = token is null && options.LocalUrl is not null;

        report.Begin(options.WebSocketUrl, publisher.Destination, topic, needsToken ? $"as {user} (development token)" : Identity(tokenSource),
            needsToken ? ["token", .. Steps] : Steps);
        var started = Stopwatch.GetTimestamp();
        TimeSpan? roundTrip = null;
        SmokeClient? client = null;
        try
        {
            if (needsToken)
            {
                token = await StepAsync("token", "no answer from POST /dev/token",
                    async ct => new Outcome<string>(await DevelopmentTokens.RequestAsync(http, options.LocalUrl!, user, ct), $"for {user}"), cancellationToken);
                tokenSource = TokenSource.DevelopmentToken;
            }

            client = await StepAsync("connect", "no answer to the handshake",
                async ct => new Outcome<SmokeClient>(await SmokeClient.ConnectAsync(options.WebSocketUrl, token, tokenSource, ct),
                    tokenSource == TokenSource.None ? "anonymous" : null), cancellationToken);

            await StepAsync("ping", "no pong", async ct =>
            {
                await client.PingAsync(ct);
                return Outcome.Done;
            }, cancellationToken);

            await StepAsync("subscribe", "no ack", async ct =>
            {
                try
                {
                    await client.SubscribeAsync(topic, ct);
                }
                catch (ErrorAnswerException e) when (e.Code == "forbidden")
                {
                    throw new StepFailedException($"{(e.Message.EndsWith('.') ? e.Message : e.Message + ".")} {Forbidden(topic, tokenSource)}");
                }
                return new Outcome<bool>(true, topic);
            }, cancellationToken);

            // The event can arrive before the publisher answers (the local host fans out first): the round trip is
            // measured from here to when the socket read it, not to when the receive step looked.
            var publishedAt = Stopwatch.GetTimestamp();
            await StepAsync("publish", $"no answer from {publisher.Destination}",
                async ct => new Outcome<bool>(true, await publisher.PublishAsync(PublishRequest(topic, nonce), ct)), cancellationToken);

            roundTrip = await StepAsync("receive", $"the event did not arrive; {publisher.UndeliveredHint}", async ct =>
            {
                var trip = Stopwatch.GetElapsedTime(publishedAt, await client.WaitForEventAsync(topic, nonce, ct));
                return new Outcome<TimeSpan>(trip, "round trip from publish", trip);
            }, cancellationToken);
        }
        catch (StepStoppedException)
        {
        }
        finally
        {
            if (client is not null)
            {
                // Not tied to Ctrl+C: an interrupted run still says goodbye.
                using var closing = new CancellationTokenSource(options.Timeout);
                await client.CloseAsync(closing.Token);
                await client.DisposeAsync();
            }
        }
        report.End(Stopwatch.GetElapsedTime(started), roundTrip);
        return report.Passed;
    }

    private async Task<T> StepAsync<T>(string name, string silence, Func<CancellationToken, Task<Outcome<T>>> step, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(options.Timeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var outcome = await step(limit.Token);
            report.Succeeded(name, outcome.Elapsed ?? Stopwatch.GetElapsedTime(started), outcome.Detail);
            return outcome.Value;
        }
        catch (Exception e)
        {
            report.Failed(name, Stopwatch.GetElapsedTime(started), e switch
            {
                OperationCanceledException when cancellationToken.IsCancellationRequested => "interrupted",
                OperationCanceledException => $"timed out after {options.Timeout.TotalSeconds:0.###} s: {silence}",
                StepFailedException => e.Message,
                HttpRequestException or IOException => e.Message,
                _ => $"{e.GetType().Name}: {e.Message}",
            });
            throw new StepStoppedException();
        }
    }

    private static string Identity(TokenSource source) => source switch
    {
        TokenSource.Option => "with the token from --token",
        TokenSource.Environment => "with the token from REALTIME_TOKEN",
        _ => "anonymously (no token)",
    };

    // Under the default policy (docs/protocol.md, "Policy") no rule has "anonymous": true, and wishlist:* is open to
    // every signed-in user, so a refusal of the default topic means the deployment has a policy of its own.
    private string Forbidden(string topic, TokenSource source) =>
        source == TokenSource.None
            ? "An anonymous connection may subscribe to nothing under the default topic policy (no rule has \"anonymous\": true): "
                + "pass --token, or --topic with a topic that the deployment's REALTIME_TOPIC_POLICY opens to anonymous connections."
            : options.Topic is null
                ? "The deployment's REALTIME_TOPIC_POLICY does not let signed-in users subscribe to wishlist:*; pass --topic with a topic it allows."
                : $"The topic policy does not let this user subscribe to {topic}.";

    private static string PublishRequest(string topic, string nonce)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("topic", topic);
            json.WriteString("event", EventName);
            json.WriteStartObject("data");
            json.WriteString("nonce", nonce);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string RandomHex(int bytes) => Convert.ToHexString(RandomNumberGenerator.GetBytes(bytes)).ToLowerInvariant();

    /// <summary>A step's result: the value later steps need, a detail for the report, and its time when not the step's own.</summary>
    private sealed record Outcome<T>(T Value, string? Detail = null, TimeSpan? Elapsed = null);

    private static class Outcome
    {
        public static readonly Outcome<bool> Done = new(true);
    }

    /// <summary>Ends the run after a failed step; the report already has the reason.</summary>
    private sealed class StepStoppedException : Exception;
}
