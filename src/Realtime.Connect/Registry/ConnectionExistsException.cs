namespace Realtime.Connect.Registry;

/// <summary>Thrown by <see cref="IConnectionRegistry.AddAsync"/> when the connection id is already recorded.</summary>
public sealed class ConnectionExistsException(string connectionId)
    : InvalidOperationException($"Connection '{connectionId}' is already recorded.")
{
    public string ConnectionId { get; } = connectionId;
}
