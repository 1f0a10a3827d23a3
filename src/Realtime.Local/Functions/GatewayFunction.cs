namespace Realtime.Local.Functions;

/// <summary>A function of the template, bound and ready to invoke.</summary>
/// <param name="Name">The template's logical id.</param>
/// <param name="Handler">The template's handler string.</param>
/// <param name="Timeout">The Lambda timeout; past it the invocation is a function error.</param>
/// <param name="Invoke">The bound entry point.</param>
public sealed record GatewayFunction(string Name, HandlerName Handler, TimeSpan? Timeout, LambdaHandler Invoke);
