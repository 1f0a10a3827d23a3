using Realtime.Connect.Contract;

namespace Realtime.Connect.Authorization;

/// <summary>
/// Who a connection is, read back from the <c>requestContext.authorizer</c> that API Gateway replays on every event.
/// An anonymous connection has a principal (API Gateway requires one) but no user: <see cref="UserId"/> is null for it,
/// as it is for an API without an authorizer, so it is never taken for a signed-in user.
/// </summary>
public sealed record AuthorizedIdentity
{
    public static AuthorizedIdentity Anonymous { get; } = new();

    /// <summary>The token's <c>sub</c>; null for an anonymous connection.</summary>
    public string? UserId { get; init; }

    public string? UserName { get; init; }

    public IReadOnlyList<string> Groups { get; init; } = [];

    public bool IsAnonymous => UserId is null;

    public static AuthorizedIdentity From(AuthorizerContext? authorizer)
    {
        if (authorizer?.PrincipalId is not { Length: > 0 } principalId) return Anonymous;
        if (authorizer[AuthorizerContextKeys.Anonymous] == "true") return Anonymous;

        return new AuthorizedIdentity
        {
            UserId = principalId,
            UserName = authorizer[AuthorizerContextKeys.UserName],
            Groups = authorizer[AuthorizerContextKeys.Groups]?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? [],
        };
    }
}
