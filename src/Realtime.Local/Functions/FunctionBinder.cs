using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace Realtime.Local.Functions;

/// <summary>
/// Finds a handler's method by loading its assembly by name, and binds it to an instance created from the host's
/// services (<see cref="ActivatorUtilities"/>), so functions share the host's registry, @connections client, logger
/// factory and clock. Accepted shapes: <c>Task&lt;Stream&gt; M(Stream)</c> and <c>Task&lt;Stream&gt; M(Stream, CancellationToken)</c>,
/// instance or static.
/// </summary>
public static class FunctionBinder
{
    public static MethodInfo Resolve(HandlerName name, string function)
    {
        Assembly assembly;
        try
        {
            assembly = Assembly.Load(name.Assembly);
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            throw new FunctionResolutionException($"Function {function}: assembly '{name.Assembly}' of handler {name} cannot be loaded ({e.Message.TrimEnd('.')}).", e);
        }

        var type = assembly.GetType(name.Type, throwOnError: false)
            ?? throw new FunctionResolutionException($"Function {function}: type '{name.Type}' of handler {name} is not in assembly {name.Assembly}.");

        var candidates = type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
            .Where(m => m.Name == name.Method)
            .ToList();
        if (candidates.Count == 0) throw new FunctionResolutionException($"Function {function}: type {name.Type} has no public method '{name.Method}' (handler {name}).");

        return candidates.FirstOrDefault(IsSupported)
            ?? throw new FunctionResolutionException(
                $"Function {function}: {name.Type}.{name.Method} must be Task<Stream> {name.Method}(Stream) or Task<Stream> {name.Method}(Stream, CancellationToken).");
    }

    private static bool IsSupported(MethodInfo method)
    {
        if (method.ReturnType != typeof(Task<Stream>) || method.IsGenericMethodDefinition) return false;
        var parameters = method.GetParameters();
        return parameters switch
        {
            [var input] => input.ParameterType == typeof(Stream),
            [var input, var token] => input.ParameterType == typeof(Stream) && token.ParameterType == typeof(CancellationToken),
            _ => false,
        };
    }

    /// <summary>Creates the instance (for an instance method) and returns a delegate bound to it.</summary>
    public static LambdaHandler Bind(MethodInfo method, IServiceProvider services, string function)
    {
        object? target = null;
        if (!method.IsStatic)
        {
            try
            {
                target = ActivatorUtilities.CreateInstance(services, method.DeclaringType!);
            }
            catch (Exception e)
            {
                var reason = e is TargetInvocationException { InnerException: { } inner } ? inner : e;
                throw new FunctionResolutionException($"Function {function}: cannot create {method.DeclaringType!.FullName}: {reason.Message}", reason);
            }
        }

        if (method.GetParameters().Length == 2)
        {
            return (LambdaHandler)method.CreateDelegate(typeof(LambdaHandler), target);
        }
        var handler = (Func<Stream, Task<Stream>>)method.CreateDelegate(typeof(Func<Stream, Task<Stream>>), target);
        return (input, _) => handler(input);
    }
}
