namespace Realtime.Bench.LocalGateway.Driver;

/// <summary>What counts as the answer to a ping.</summary>
internal enum Expectation
{
    /// <summary><c>{"type":"pong","id":"n"}</c>, posted back by the ping route (Realtime, serverless-offline).</summary>
    Pong,

    /// <summary>The very text that was sent (the echo server).</summary>
    Echo,
}
