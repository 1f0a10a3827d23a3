namespace Realtime.Local.Publishing;

/// <summary>Who may use the local host's <c>POST /publish</c>.</summary>
public sealed record PublishEndpointOptions
{
    public const string KeyHeader = "X-Realtime-Publish-Key";

    /// <summary>The key a caller sends in <see cref="KeyHeader"/>; empty means no key is asked for.</summary>
    public string Key { get; init; } = "";

    /// <summary>Whether callers from other machines are refused (the default): the endpoint publishes to anyone's topics.</summary>
    public bool LoopbackOnly { get; init; } = true;
}
