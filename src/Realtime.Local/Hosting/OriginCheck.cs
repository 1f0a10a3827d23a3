using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Realtime.Local.Gateway;

namespace Realtime.Local.Hosting;

/// <summary>
/// Refuses a WebSocket handshake or SignalR request that a browser sent from a page whose origin is not allowed
/// (see <see cref="AllowedOrigins"/>). Requests without an <c>Origin</c> header come from programs, not pages, and
/// pass.
/// </summary>
internal static class OriginCheck
{
    public const string Option = "--allow-origin";

    /// <summary>True when the request was refused, and answered with 403.</summary>
    public static async ValueTask<bool> RefusedAsync(HttpContext context, AllowedOrigins allowed, ILogger logger)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length == 0 || allowed.Allows(origin)) return false;

        GatewayLog.OriginRefused(logger, context.Request.Method, context.Request.Path.Value ?? "/", origin);
        var named = AllowedOrigins.Normalize(origin) ?? origin;
        await Problem.WriteAsync(context.Response, StatusCodes.Status403Forbidden, "Origin not allowed",
            $"Pages on {named} may not connect to the local gateway, only pages on this machine; start it with {Option} {named} to allow them.").ConfigureAwait(false);
        return true;
    }
}
