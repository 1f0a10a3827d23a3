namespace Realtime.Connect.Management.Internal;

/// <summary>What one HTTP attempt came back with; the pipeline decides from it whether to try again.</summary>
internal readonly record struct AttemptResult(ConnectionsStatus Status, int HttpStatusCode, string? ErrorType = null, ConnectionInfo? Info = null);
