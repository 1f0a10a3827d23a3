using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Realtime.Local.Gateway;

namespace Realtime.Local.Hosting;

/// <summary>
/// Answers only requests addressed to this machine by a loopback name or address (see <see cref="LoopbackNames"/>),
/// whatever the path. The host listens on 127.0.0.1 only, so a request with another Host comes from a browser that was
/// pointed here by DNS rebinding: a page that must not mint tokens, publish or connect as anyone. Runs first, so no
/// endpoint sees such a request.
/// </summary>
internal static class HostCheck
{
    public static Func<HttpContext, RequestDelegate, Task> Middleware(ILogger logger) => (context, next) =>
    {
        var host = context.Request.Host;
        if (host.HasValue && LoopbackNames.IsLoopback(host.Host)) return next(context);

        var named = host.HasValue ? host.Value! : "(no Host header)";
        GatewayLog.HostRefused(logger, context.Request.Method, context.Request.Path.Value ?? "/", named);
        return Problem.WriteAsync(context.Response, StatusCodes.Status400BadRequest, "Host not served",
            $"The local gateway answers requests for localhost, *.localhost, 127.0.0.0/8 and [::1] only, not for {named}.");
    };
}
