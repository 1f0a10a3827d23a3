using Realtime.Local.Connections;
using Realtime.Local.Events;

namespace Realtime.Local.Gateway;

/// <summary>
/// Enforces the idle timeout (no data message in either direction) and the maximum connection duration with one
/// periodic sweep over the open connections, instead of a timer per connection; either closes with 1001
/// "Going away". The sweep runs every tenth of the shorter limit (at most every second), so a connection is closed
/// at most that much late.
/// </summary>
public sealed class ConnectionTimeouts : IDisposable
{
    private readonly WebSocketGateway _gateway;
    private readonly RequestClock _clock;
    private readonly long _idleMilliseconds;
    private readonly long _maxMilliseconds;
    private readonly ITimer _timer;

    public ConnectionTimeouts(WebSocketGateway gateway, RequestClock clock)
    {
        _gateway = gateway;
        _clock = clock;
        var options = gateway.Options;
        _idleMilliseconds = (long)options.IdleTimeout.TotalMilliseconds;
        _maxMilliseconds = (long)options.MaxDuration.TotalMilliseconds;
        var period = TimeSpan.FromMilliseconds(Math.Clamp(Math.Min(_idleMilliseconds, _maxMilliseconds) / 10.0, 5, 1000));
        _timer = clock.TimeProvider.CreateTimer(static state => ((ConnectionTimeouts)state!).Sweep(), this, period, period);
    }

    internal void Sweep()
    {
        var now = _clock.NowMilliseconds();
        foreach (var connection in _gateway.Connections.Snapshot())
        {
            if (now - connection.Details.ConnectedAt >= _maxMilliseconds) _gateway.Close(connection, CloseStatus.GoingAway, "max duration");
            else if (now - connection.LastActiveAt >= _idleMilliseconds) _gateway.Close(connection, CloseStatus.GoingAway, "idle timeout");
        }
    }

    public void Dispose() => _timer.Dispose();
}
