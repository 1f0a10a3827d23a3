namespace Realtime.Bench.FanOutScale.Simulation;

/// <summary>
/// Reads the connection id from the raw request target <c>/{stage}/%40connections/{escaped id}</c>, as the project's
/// client sends it. The raw target, not the decoded path, so an id whose escaped form holds <c>%2F</c> comes back whole.
/// </summary>
internal static class ConnectionsPath
{
    public static bool TryRead(string rawTarget, string stage, out string connectionId)
    {
        connectionId = "";
        var target = rawTarget.AsSpan();
        var query = target.IndexOf('?');
        if (query >= 0) target = target[..query];

        if (target.Length < stage.Length + 2 || target[0] != '/' || !target[1..].StartsWith(stage, StringComparison.Ordinal) || target[stage.Length + 1] != '/') return false;
        target = target[(stage.Length + 2)..];

        if (target.StartsWith("%40connections/", StringComparison.OrdinalIgnoreCase)) target = target["%40connections/".Length..];
        else if (target.StartsWith("@connections/", StringComparison.Ordinal)) target = target["@connections/".Length..];
        else return false;

        if (target.IsEmpty || target.Contains('/')) return false;
        connectionId = target.Contains('%') ? Uri.UnescapeDataString(target) : target.ToString();
        return true;
    }
}
