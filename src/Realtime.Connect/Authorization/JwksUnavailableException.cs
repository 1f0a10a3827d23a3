namespace Realtime.Connect.Authorization;

/// <summary>
/// No signing keys could be fetched. The authorizer lets it escape: a key outage is the gateway's failure, not the
/// client's, so the handshake fails with 500 rather than a 401 or 403 that would blame the token.
/// </summary>
public sealed class JwksUnavailableException : Exception
{
    public JwksUnavailableException(string message) : base(message) { }

    public JwksUnavailableException(string message, Exception innerException) : base(message, innerException) { }
}
