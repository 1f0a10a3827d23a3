using Realtime.Connect.Contract;

namespace Realtime.Local.Authorization;

/// <summary>
/// Decides an authorizer's policy for the $connect method ARN: an explicit Deny of <c>execute-api:Invoke</c> on a
/// matching resource wins, otherwise a matching Allow is needed.
/// </summary>
public static class PolicyEvaluator
{
    private const string InvokeAction = "execute-api:Invoke";

    public static bool Allows(PolicyDocument policy, string methodArn)
    {
        var allowed = false;
        foreach (var statement in policy.Statement)
        {
            if (!statement.Action.Any(action => IamPattern.Matches(action, InvokeAction, StringComparison.OrdinalIgnoreCase))) continue;
            if (!statement.Resource.Any(resource => IamPattern.Matches(resource, methodArn))) continue;
            if (string.Equals(statement.Effect, "Deny", StringComparison.OrdinalIgnoreCase)) return false;
            if (string.Equals(statement.Effect, "Allow", StringComparison.OrdinalIgnoreCase)) allowed = true;
        }
        return allowed;
    }
}
