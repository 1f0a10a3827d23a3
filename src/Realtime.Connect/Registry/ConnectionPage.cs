namespace Realtime.Connect.Registry;

/// <summary>
/// A page request: at most <see cref="Size"/> items, starting after <see cref="Cursor"/> (null for the first page) and
/// ending at <see cref="Until"/> (a connection id, included; null for no end). Items come in connection id order, so a
/// cursor and an end mark out a range of the index that stays the same range whatever else joins or leaves.
/// </summary>
public readonly record struct PageRequest(int Size, string? Cursor = null, string? Until = null)
{
    public const int DefaultSize = 100;
    public static PageRequest First(int size = DefaultSize) => new(size);
}

/// <summary>A page of connections; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record ConnectionPage(IReadOnlyList<Connection> Items, string? NextCursor)
{
    public static readonly ConnectionPage Empty = new([], null);
}
