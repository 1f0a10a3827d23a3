namespace Realtime.Connect.Hosting;

/// <summary>
/// One level of the logger scopes open on this async flow, innermost first. Immutable and linked to its parent, so
/// concurrent flows that share an outer scope (a fan-out's parallel posts) never see each other's inner ones.
/// </summary>
internal sealed class LogScope(object state, LogScope? parent, Action<LogScope?> restore) : IDisposable
{
    public object State { get; } = state;

    public LogScope? Parent { get; } = parent;

    public void Dispose() => restore(Parent);

    /// <summary>The key/values of this scope and its parents, innermost first.</summary>
    public IEnumerable<KeyValuePair<string, object?>> Values()
    {
        for (var scope = this; scope is not null; scope = scope.Parent)
        {
            if (scope.State is not IEnumerable<KeyValuePair<string, object?>> values) continue;
            foreach (var value in values)
            {
                if (value.Key != "{OriginalFormat}") yield return value;
            }
        }
    }
}
