using System.Reflection;
using System.Runtime.Loader;

namespace Realtime.ManagedRuntime;

/// <summary>One invocation of the user's handler: the event's bytes in, the response stream out.</summary>
internal delegate Task<Stream> StreamHandler(Stream input);

/// <summary>
/// Resolves <c>Assembly::Namespace.Type::Method</c> the way the managed runtime's user-code loader does: the assembly
/// by name from the function's own dependency context (its .deps.json), the type by full name, one method of that name
/// (an overload is ambiguous), an instance made once through the public parameterless constructor before the first
/// invocation. Only the <c>Stream</c> to <c>Task&lt;Stream&gt;</c> shape is accepted, the one that needs no serializer.
/// </summary>
internal static class HandlerLoader
{
    public static StreamHandler Load(string handler)
    {
        var parts = handler.Split("::");
        if (parts.Length != 3 || parts.Any(string.IsNullOrWhiteSpace))
            throw new HandlerException($"The handler '{handler}' is not of the form 'Assembly::Namespace.Type::Method'.");

        Assembly assembly;
        try
        {
            assembly = AssemblyLoadContext.Default.LoadFromAssemblyName(new AssemblyName(parts[0]));
        }
        catch (FileNotFoundException e)
        {
            throw new HandlerException($"Could not find the assembly '{parts[0]}' in the function's package: {e.Message}");
        }

        var type = assembly.GetType(parts[1], throwOnError: false)
                   ?? throw new HandlerException($"Unable to find type '{parts[1]}' in assembly '{assembly.GetName().Name}'.");
        if (type.IsGenericTypeDefinition || type.IsAbstract && !type.IsSealed)
            throw new HandlerException($"The type '{parts[1]}' cannot be instantiated (generic or abstract).");

        var methods = type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static)
            .Where(method => method.Name == parts[2])
            .ToArray();
        var method = methods.Length switch
        {
            0 => throw new HandlerException($"Unable to find method '{parts[2]}' in type '{parts[1]}'."),
            1 => methods[0],
            _ => throw new HandlerException($"The method '{parts[2]}' of type '{parts[1]}' has {methods.Length} overloads; the handler must name exactly one."),
        };

        var parameters = method.GetParameters();
        if (parameters.Length != 1 || parameters[0].ParameterType != typeof(Stream) || method.ReturnType != typeof(Task<Stream>))
            throw new HandlerException($"The method '{parts[2]}' must take one Stream and return Task<Stream>, as a handler without a serializer does.");

        object? target = null;
        if (!method.IsStatic)
        {
            if (type.GetConstructor(Type.EmptyTypes) is not { IsPublic: true })
                throw new HandlerException($"The type '{parts[1]}' has no public parameterless constructor for Lambda to create it with.");
            // A constructor that throws leaves as a TargetInvocationException, the init error Lambda reports.
            target = Activator.CreateInstance(type);
        }

        return method.CreateDelegate<StreamHandler>(target);
    }
}

/// <summary>The handler string or the function's shape does not meet the loading rules.</summary>
internal sealed class HandlerException(string message) : Exception(message);
