namespace Realtime.Local.Functions;

/// <summary>A .NET Lambda handler string, <c>Assembly::Namespace.Type::Method</c>.</summary>
public readonly record struct HandlerName(string Assembly, string Type, string Method)
{
    public static HandlerName Parse(string handler, string function)
    {
        var parts = handler.Split("::");
        if (parts.Length != 3 || parts.Any(string.IsNullOrWhiteSpace))
        {
            throw new FunctionResolutionException($"Function {function}: handler '{handler}' is not of the form Assembly::Namespace.Type::Method.");
        }
        return new HandlerName(parts[0].Trim(), parts[1].Trim(), parts[2].Trim());
    }

    public override string ToString() => $"{Assembly}::{Type}::{Method}";
}
