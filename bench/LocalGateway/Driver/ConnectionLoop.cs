using System.Diagnostics;
using System.Net.WebSockets;

namespace Realtime.Bench.LocalGateway.Driver;

/// <summary>
/// One client connection in a closed loop: keeps <see cref="LoadOptions.Depth"/> pings in flight, sends the next
/// one as soon as an answer arrives, and records each round trip that completes inside the measured window.
/// A connection that breaks or stops answering is counted and opened again.
/// </summary>
internal sealed class ConnectionLoop(LoadOptions options, RunClock clock, ErrorCounts errors)
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    private readonly Dictionary<long, long> _inFlight = new(options.Depth);
    private readonly byte[] _send = new byte[PingMessage.MaxLength];
    private byte[] _receive = new byte[4096];
    private ClientWebSocket? _socket;
    private long _nextId;

    // Read by the watchdog: when this connection last saw progress, and whether it gave up on it.
    private long _lastProgress = Stopwatch.GetTimestamp();
    private volatile bool _timedOut;

    public LatencyLog Latencies { get; } = new();

    /// <summary>Every ping answered, warm-up and drain included: what the server did for the CPU it used.</summary>
    public long Answered { get; private set; }

    public bool IsConnected => _socket is not null;

    public async Task<bool> ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConnectTimeout);
        try
        {
            await socket.ConnectAsync(options.Url, timeout.Token);
            _socket = socket;
            _timedOut = false;
            Volatile.Write(ref _lastProgress, Stopwatch.GetTimestamp());
            return true;
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or HttpRequestException)
        {
            socket.Dispose();
            if (!cancellationToken.IsCancellationRequested)
            {
                errors.AddConnect();
            }
            return false;
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!clock.IsDone && !cancellationToken.IsCancellationRequested)
        {
            if (_socket is null && !await ConnectAsync(cancellationToken))
            {
                await Task.Delay(250, cancellationToken).ContinueWith(static _ => { }, TaskScheduler.Default);
                continue;
            }
            var socket = _socket!;
            try
            {
                await ExchangeAsync(socket, cancellationToken);
                await CloseAsync(socket);
                return;
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                if (_timedOut)
                {
                    errors.AddTimeout();
                }
                else
                {
                    errors.AddClosed();
                }
            }
            finally
            {
                socket.Dispose();
                _socket = null;
                _inFlight.Clear();
            }
        }
    }

    /// <summary>Called by the watchdog: drops the connection when a ping has waited longer than the timeout.</summary>
    public void AbortIfStalled(long now)
    {
        var socket = _socket;
        if (socket is not null && Stopwatch.GetElapsedTime(Volatile.Read(ref _lastProgress), now) > options.Timeout)
        {
            _timedOut = true;
            socket.Abort();
        }
    }

    public void Abort() => _socket?.Abort();

    private async Task ExchangeAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _lastProgress, Stopwatch.GetTimestamp());
        for (var i = 0; i < options.Depth; i++)
        {
            await SendNextAsync(socket, cancellationToken);
        }

        // After the measured window, stop sending and wait for the answers still owed.
        while (_inFlight.Count > 0)
        {
            var length = await ReceiveMessageAsync(socket, cancellationToken);
            var arrived = Stopwatch.GetTimestamp();
            Volatile.Write(ref _lastProgress, arrived);

            if (!PingMessage.TryReadReply(_receive.AsSpan(0, length), options.Expect, out var id)
                || !_inFlight.Remove(id, out var sent))
            {
                errors.AddUnexpected(_receive.AsSpan(0, length));
                continue;
            }
            Answered++;
            if (clock.IsMeasuring)
            {
                Latencies.Add(arrived - sent);
            }
            if (!clock.IsDone)
            {
                await SendNextAsync(socket, cancellationToken);
            }
        }
    }

    private async ValueTask SendNextAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var id = _nextId++;
        var length = PingMessage.Write(_send, id);
        _inFlight[id] = Stopwatch.GetTimestamp();
        await socket.SendAsync(_send.AsMemory(0, length), WebSocketMessageType.Text, true, cancellationToken);
    }

    private async ValueTask<int> ReceiveMessageAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var count = 0;
        while (true)
        {
            if (count == _receive.Length)
            {
                Array.Resize(ref _receive, _receive.Length * 2);
            }
            var result = await socket.ReceiveAsync(_receive.AsMemory(count), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely, "the server closed the connection");
            }
            count += result.Count;
            if (result.EndOfMessage)
            {
                return count;
            }
        }
    }

    private static async Task CloseAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // The run is over; a close that does not complete changes no figure.
        }
    }
}
