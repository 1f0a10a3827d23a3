using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Realtime.Bench.FanOut;

/// <summary>
/// The stand-in for API Gateway's @connections: Kestrel on a free loopback port answering 200 to every POST after
/// reading its body, and counting them. Runs in its own process so the fan-out's figures are the fan-out's alone.
/// </summary>
internal static class ConnectionsEndpointServer
{
    public static async Task RunAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        long posts = 0;
        var buffer = new byte[64 * 1024];
        app.Run(async context =>
        {
            // Read the body as API Gateway would, into a shared scratch buffer (its content is not kept).
            while (await context.Request.Body.ReadAsync(buffer, context.RequestAborted) > 0)
            {
            }
            if (context.Request.Method == "POST") Interlocked.Increment(ref posts);
            context.Response.StatusCode = 200;
            context.Response.ContentLength = 0;
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        Console.WriteLine(address);
        Console.Out.Flush();

        // The parent asks for the count with a line on stdin and stops the server by closing stdin.
        while (await Console.In.ReadLineAsync() is not null)
        {
            Console.WriteLine(Interlocked.Read(ref posts));
            Console.Out.Flush();
        }
        await app.StopAsync();
    }
}
