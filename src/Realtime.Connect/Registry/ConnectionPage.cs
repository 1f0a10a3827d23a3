namespace Realtime.Connect.Registry;

/// <summary>A page request: at most <see cref="Size"/> items, starting after <see cref="Cursor"/> (null for the first page).</summary>
public readonly record struct PageRequest(int Size, string? Cursor = null)
{
    public const int DefaultSize = 100;
    public static PageRequest First(int size = DefaultSize) => new(size);
}

/// <summary>A page of connections; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record ConnectionPage(IReadOnlyList<Connection> Items, string? NextCursor)
{
    public static readonly ConnectionPage Empty = new([], null);
}
