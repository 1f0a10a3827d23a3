using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Realtime.Local.Hosting;

/// <summary>
/// The demo page at <c>/</c> (wishlist updates and chat over the client protocol), served from files embedded in the
/// assembly, so it is there whatever directory the host runs from.
/// </summary>
internal static class DemoPage
{
    private static readonly (string Path, string Resource, string ContentType)[] Files =
    [
        ("/", "index.html", "text/html; charset=utf-8"),
        ("/demo.js", "demo.js", "text/javascript; charset=utf-8"),
        ("/demo.css", "demo.css", "text/css; charset=utf-8"),
    ];

    public static void Map(WebApplication app)
    {
        var assembly = typeof(DemoPage).Assembly;
        foreach (var (path, resource, contentType) in Files)
        {
            var content = Read(assembly, resource);
            app.MapGet(path, () => Results.Bytes(content, contentType));
        }
    }

    private static byte[] Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream($"Realtime.Local.wwwroot.{name}")
            ?? throw new InvalidOperationException($"The demo page file {name} is not embedded in {assembly.GetName().Name}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
