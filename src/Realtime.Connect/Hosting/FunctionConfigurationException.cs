namespace Realtime.Connect.Hosting;

/// <summary>
/// A function's configuration cannot work: a required environment variable is missing or a value is malformed.
/// Thrown while the function is being created, so Lambda reports an initialization error of this type (never a
/// <see cref="NullReferenceException"/> deep inside the first request) whose message names the variable.
/// </summary>
public sealed class FunctionConfigurationException(string? variable, string message) : Exception(message)
{
    /// <summary>The environment variable at fault, when one alone is.</summary>
    public string? Variable { get; } = variable;
}
