namespace Realtime.Connect.Functions;

/// <summary>Chooses the one subprotocol $connect returns.</summary>
internal static class Subprotocols
{
    public const string Header = "Sec-WebSocket-Protocol";

    /// <summary>The protocols the client offered, from the handshake header (any case; a comma-separated list).</summary>
    public static IReadOnlyList<string> Offered(IDictionary<string, string>? headers)
    {
        if (headers is null) return [];
        foreach (var (name, value) in headers)
        {
            if (name.Equals(Header, StringComparison.OrdinalIgnoreCase))
            {
                return value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            }
        }
        return [];
    }

    /// <summary>The server's most preferred protocol among those offered, or null when they share none.</summary>
    public static string? Choose(IReadOnlyList<string> supported, IReadOnlyList<string> offered) =>
        supported.FirstOrDefault(s => offered.Contains(s, StringComparer.Ordinal));
}
