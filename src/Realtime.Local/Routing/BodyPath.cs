namespace Realtime.Local.Routing;

/// <summary>
/// A JSONPath into the message body, as a route selection expression writes it after <c>request.body</c>:
/// <c>.name</c> segments, <c>['name']</c> and <c>[index]</c>. An empty path is the whole body.
/// </summary>
internal sealed class BodyPath
{
    private BodyPath(IReadOnlyList<PathSegment> segments) => Segments = segments;

    public IReadOnlyList<PathSegment> Segments { get; }

    /// <summary>Parses the part after <c>request.body</c>, e.g. <c>.a.b[0]</c>; null when it is not a supported path.</summary>
    public static BodyPath? TryParse(string text)
    {
        var segments = new List<PathSegment>();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '.')
            {
                var start = ++i;
                while (i < text.Length && text[i] != '.' && text[i] != '[') i++;
                if (i == start) return null;
                var name = text[start..i];
                if (name == "*") return null;
                segments.Add(PathSegment.Property(name));
            }
            else if (text[i] == '[')
            {
                var end = text.IndexOf(']', i);
                if (end < 0) return null;
                var inner = text[(i + 1)..end];
                if (inner.Length >= 2 && (inner[0] == '\'' || inner[0] == '"') && inner[^1] == inner[0])
                {
                    segments.Add(PathSegment.Property(inner[1..^1]));
                }
                else if (int.TryParse(inner, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index))
                {
                    segments.Add(PathSegment.Element(index));
                }
                else
                {
                    return null;
                }
                i = end + 1;
            }
            else
            {
                return null;
            }
        }
        return new BodyPath(segments);
    }

    public override string ToString() => "$request.body" + string.Concat(Segments.Select(s => s.ToString()));
}

internal readonly record struct PathSegment(string? Name, int Index)
{
    public static PathSegment Property(string name) => new(name, -1);
    public static PathSegment Element(int index) => new(null, index);
    public bool IsProperty => Name is not null;
    public override string ToString() => IsProperty ? "." + Name : $"[{Index}]";
}
