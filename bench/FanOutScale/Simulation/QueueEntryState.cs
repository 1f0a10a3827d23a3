namespace Realtime.Bench.FanOutScale.Simulation;

/// <summary>Where a message is: waiting to be received, received and hidden, or gone for good.</summary>
internal enum QueueEntryState
{
    Visible,
    InFlight,
    Deleted,
    DeadLettered,
}
