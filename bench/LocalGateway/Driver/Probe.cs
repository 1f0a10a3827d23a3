using System.Net.WebSockets;

namespace Realtime.Bench.LocalGateway.Driver;

internal sealed record ProbeOptions(Uri Url, Expectation Expect, TimeSpan Timeout)
{
    public static ProbeOptions From(CommandLine args) => new(
        new Uri(args.Required("url")),
        LoadOptions.ParseExpectation(args.String("expect", "pong")),
        TimeSpan.FromSeconds(args.Seconds("timeout", 2)));
}

/// <summary>One ping round trip: is the server up and answering the way the run will expect? Exit 0 if so.</summary>
internal static class Probe
{
    public static async Task<int> RunAsync(ProbeOptions options, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        using var socket = new ClientWebSocket();
        try
        {
            await socket.ConnectAsync(options.Url, timeout.Token);
            var message = new byte[PingMessage.MaxLength];
            await socket.SendAsync(message.AsMemory(0, PingMessage.Write(message, 0)), WebSocketMessageType.Text, true, timeout.Token);

            var reply = new byte[4096];
            var result = await socket.ReceiveAsync(reply, timeout.Token);
            if (!result.EndOfMessage || !PingMessage.TryReadReply(reply.AsSpan(0, result.Count), options.Expect, out var id) || id != 0)
            {
                Console.Error.WriteLine($"probe: unexpected answer from {options.Url}");
                return 1;
            }
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            return 0;
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or HttpRequestException)
        {
            Console.Error.WriteLine($"probe: {options.Url}: {e.Message}");
            return 1;
        }
    }
}
