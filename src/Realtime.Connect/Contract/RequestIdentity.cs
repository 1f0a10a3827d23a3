namespace Realtime.Connect.Contract;

/// <summary>
/// <c>requestContext.identity</c>. Current events carry only <c>sourceIp</c> and, when the handshake had one,
/// <c>userAgent</c>; the IAM and API-key fields appear only when those are in use (2019-era events had them all as null).
/// </summary>
public sealed record RequestIdentity
{
    public string? SourceIp { get; init; }
    public string? UserAgent { get; init; }
    public string? AccessKey { get; init; }
    public string? AccountId { get; init; }
    public string? Caller { get; init; }
    public string? User { get; init; }
    public string? UserArn { get; init; }
    public string? CognitoIdentityId { get; init; }
    public string? CognitoIdentityPoolId { get; init; }
    public string? CognitoAuthenticationType { get; init; }
    public string? CognitoAuthenticationProvider { get; init; }
    public string? PrincipalOrgId { get; init; }
    public string? ApiKey { get; init; }
    public string? ApiKeyId { get; init; }
}
