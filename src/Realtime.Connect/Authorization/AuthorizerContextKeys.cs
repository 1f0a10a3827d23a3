namespace Realtime.Connect.Authorization;

/// <summary>
/// The keys of the flat context the authorizer returns, which API Gateway replays as <c>requestContext.authorizer</c>
/// on every later event of the connection (values as strings).
/// </summary>
public static class AuthorizerContextKeys
{
    /// <summary>The user's name: <c>cognito:username</c>, else <c>username</c>, else <c>preferred_username</c>; absent when the token has none.</summary>
    public const string UserName = "userName";

    /// <summary>The <c>cognito:groups</c> of the token, comma-joined; absent when the token has none.</summary>
    public const string Groups = "groups";

    /// <summary><c>"true"</c> for a connection let in without a token, <c>"false"</c> otherwise.</summary>
    public const string Anonymous = "anonymous";

    /// <summary>The principal of an anonymous connection is this prefix followed by its connection id.</summary>
    public const string AnonymousPrincipalPrefix = "anonymous:";

    /// <summary>The principal of a denied handshake (the connection never exists, so it is never seen after $connect).</summary>
    public const string DeniedPrincipal = "denied";
}
