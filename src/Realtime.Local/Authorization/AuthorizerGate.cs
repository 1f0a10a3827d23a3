using System.Text.Json;
using Realtime.Connect.Contract;
using Realtime.Local.Connections;
using Realtime.Local.Events;
using Realtime.Local.Functions;
using Realtime.Local.Gateway;
using Realtime.Local.Template;

namespace Realtime.Local.Authorization;

/// <summary>
/// Runs a Lambda REQUEST authorizer on $connect as API Gateway does: the identity sources must all be present and
/// non-empty or the client gets 401 without a call; the policy must allow <c>execute-api:Invoke</c> on
/// <c>.../{stage}/$connect</c>; the result is at most 8 KB; context values are stringified; results are never cached.
/// </summary>
public sealed class AuthorizerGate(EventFactory events, FunctionInvoker invoker)
{
    /// <summary>API Gateway's limit on a Lambda authorizer's result.</summary>
    public const int MaxResultBytes = 8 * 1024;

    public async Task<AuthorizerOutcome> AuthorizeAsync(
        AuthorizerDefinition authorizer, GatewayFunction function, TimeSpan timeout,
        HandshakeRequest request, ConnectionDetails connection, string requestId, string traceId, CancellationToken cancellationToken)
    {
        foreach (var source in authorizer.IdentitySources)
        {
            if (string.IsNullOrEmpty(IdentityValue(source, request)))
            {
                return new AuthorizerOutcome(401, null, 0, $"identity source {source} is missing");
            }
        }

        var @event = events.Authorizer(request, connection, requestId, connection.ConnectedAt, traceId);
        var input = EventJson.Serialize(@event);
        var invocation = await invoker.InvokeAsync(function, input.WrittenSegment, timeout, cancellationToken).ConfigureAwait(false);
        if (!invocation.Abandoned) input.Dispose(); // an abandoned authorizer may still read it
        var latency = invocation.LatencyMilliseconds;
        switch (invocation.Outcome)
        {
            case InvocationOutcome.Failed when invocation.Error?.Message == "Unauthorized":
                return new AuthorizerOutcome(401, null, latency, "the authorizer failed with \"Unauthorized\"");
            case InvocationOutcome.Failed:
                return new AuthorizerOutcome(500, null, latency, $"the authorizer failed: {invocation.Error?.GetType().Name}: {invocation.Error?.Message}");
            case InvocationOutcome.FunctionTimedOut or InvocationOutcome.IntegrationTimedOut:
                return new AuthorizerOutcome(500, null, latency, "the authorizer timed out");
        }

        byte[] output;
        await using (invocation.Output)
        {
            if (invocation.Output is null) return new AuthorizerOutcome(500, null, latency, "the authorizer returned nothing");
            using var copy = new MemoryStream();
            await invocation.Output.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
            output = copy.ToArray();
        }
        if (output.Length > MaxResultBytes) return new AuthorizerOutcome(500, null, latency, $"the authorizer's result is {output.Length} bytes, over API Gateway's 8 KB");

        AuthorizerResult? result;
        try
        {
            result = JsonSerializer.Deserialize(output, ApiGatewayJsonContext.Default.AuthorizerResult);
        }
        catch (JsonException e)
        {
            return new AuthorizerOutcome(500, null, latency, $"the authorizer's result is not valid: {e.Message}");
        }

        if (result?.PolicyDocument is null) return new AuthorizerOutcome(500, null, latency, "the authorizer's result has no policyDocument");
        if (!PolicyEvaluator.Allows(result.PolicyDocument, events.ConnectMethodArn))
        {
            return new AuthorizerOutcome(403, null, latency, $"the policy does not allow execute-api:Invoke on {events.ConnectMethodArn}");
        }
        if (string.IsNullOrEmpty(result.PrincipalId)) return new AuthorizerOutcome(500, null, latency, "the authorizer's result has no principalId");

        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (key, value) in result.Context ?? new Dictionary<string, JsonElement>())
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    values[key] = value.GetString();
                    break;
                case JsonValueKind.Number:
                    values[key] = value.GetRawText();
                    break;
                case JsonValueKind.True:
                    values[key] = "true";
                    break;
                case JsonValueKind.False:
                    values[key] = "false";
                    break;
                case JsonValueKind.Null:
                    values[key] = null;
                    break;
                default:
                    return new AuthorizerOutcome(500, null, latency, $"the authorizer's context value '{key}' is an {value.ValueKind}; only strings, numbers and booleans are allowed");
            }
        }

        return new AuthorizerOutcome(0, new AuthorizerContext { PrincipalId = result.PrincipalId, Values = values }, latency, "allowed");
    }

    private static string? IdentityValue(IdentitySource source, HandshakeRequest request) => source.Kind switch
    {
        IdentitySourceKind.Header => request.Header(source.Name),
        IdentitySourceKind.QueryString => request.QueryParameter(source.Name),
        IdentitySourceKind.Context => "context",
        _ => null, // the local stage defines no stage variables
    };
}
