using Realtime.Connect.Authorization;
using Realtime.Connect.Functions;
using Realtime.Router.Functions;

namespace Realtime.Bootstrap;

/// <summary>One invocation of a function: the event's bytes in, the response out.</summary>
internal delegate Task<Stream> FunctionHandler(Stream input);

/// <summary>
/// Every function of <c>serverless.template</c>, by the Handler string the template gives it. The managed runtime
/// finds a handler by reflection; a Native AOT program cannot, so each one is bound here when it is compiled. A
/// factory runs the function's parameterless constructor, the one the managed runtime calls.
/// </summary>
internal static class Handlers
{
    private static readonly Dictionary<string, Func<FunctionHandler>> Factories = new(StringComparer.Ordinal)
    {
        ["Realtime.Connect::Realtime.Connect.Functions.ConnectFunction::FunctionHandler"] = () => new ConnectFunction().FunctionHandler,
        ["Realtime.Connect::Realtime.Connect.Functions.DisconnectFunction::FunctionHandler"] = () => new DisconnectFunction().FunctionHandler,
        ["Realtime.Connect::Realtime.Connect.Authorization.AuthorizerFunction::FunctionHandler"] = () => new AuthorizerFunction().FunctionHandler,
        ["Realtime.Router::Realtime.Router.Functions.MessageFunction::FunctionHandler"] = () => new MessageFunction().FunctionHandler,
        ["Realtime.Router::Realtime.Router.Functions.PublishFunction::FunctionHandler"] = () => new PublishFunction().FunctionHandler,
        ["Realtime.Router::Realtime.Router.Functions.ShardFunction::FunctionHandler"] = () => new ShardFunction().FunctionHandler,
    };

    public static IEnumerable<string> Names => Factories.Keys;

    /// <summary>The function's constructor for <paramref name="name"/>, or null when no function has that handler.</summary>
    public static Func<FunctionHandler>? Find(string? name) => name is not null && Factories.TryGetValue(name, out var factory) ? factory : null;
}
