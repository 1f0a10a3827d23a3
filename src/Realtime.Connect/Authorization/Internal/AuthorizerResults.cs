using System.Buffers;
using System.Text.Json;
using Realtime.Connect.Contract;

namespace Realtime.Connect.Authorization.Internal;

/// <summary>
/// Builds the authorizer's answers. The policy names exactly the event's method ARN (<c>.../{stage}/$connect</c>):
/// API Gateway matches the resource against that ARN, and a REST-style <c>.../*/*</c> would deny every handshake.
/// </summary>
internal static class AuthorizerResults
{
    private const string InvokeAction = "execute-api:Invoke";

    public static AuthorizerResult Allow(string principalId, string methodArn, IReadOnlyDictionary<string, string> context) => new()
    {
        PrincipalId = principalId,
        PolicyDocument = Policy("Allow", methodArn),
        Context = context.ToDictionary(pair => pair.Key, pair => StringElement(pair.Value), StringComparer.Ordinal),
    };

    public static AuthorizerResult Deny(string methodArn) => new()
    {
        PrincipalId = AuthorizerContextKeys.DeniedPrincipal,
        PolicyDocument = Policy("Deny", methodArn),
    };

    private static PolicyDocument Policy(string effect, string methodArn) => new()
    {
        Statement = [new PolicyStatement { Action = [InvokeAction], Effect = effect, Resource = [methodArn] }],
    };

    private static JsonElement StringElement(string value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer)) writer.WriteStringValue(value);
        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}
