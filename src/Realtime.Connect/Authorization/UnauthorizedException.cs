namespace Realtime.Connect.Authorization;

/// <summary>
/// Thrown by the authorizer when a handshake carries no token and anonymous connections are off. Its message is exactly
/// <c>Unauthorized</c>: the Lambda error API Gateway turns into a 401 handshake (any other error is a 500). The local
/// host maps it the same way.
/// </summary>
public sealed class UnauthorizedException : Exception
{
    public const string ErrorMessage = "Unauthorized";

    public UnauthorizedException() : base(ErrorMessage) { }
}
