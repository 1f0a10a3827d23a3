using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Realtime.Deployment.Tests.Infrastructure;

/// <summary>
/// Just enough of S3 on a loopback port for <c>aws cloudformation package</c>: HEAD of an object it does not hold is
/// 404, PUT stores the body and answers with its MD5 as the ETag. Path-style addressing (<c>/{bucket}/{key}</c>),
/// which the AWS CLI uses for an endpoint given by address.
/// </summary>
public sealed class S3StandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, byte[]> _objects = new();

    private S3StandIn(WebApplication app) => _app = app;

    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Every object stored, by <c>{bucket}/{key}</c>.</summary>
    public IReadOnlyDictionary<string, byte[]> Objects => _objects;

    public static async Task<S3StandIn> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var s3 = new S3StandIn(app);
        app.Run(s3.HandleAsync);
        await app.StartAsync().DefaultTimeout();
        s3.Endpoint = new Uri(app.Urls.Single());
        return s3;
    }

    /// <summary>
    /// Runs the real <c>aws cloudformation package</c> on <paramref name="templatePath"/> with this stand-in as S3
    /// (bucket <see cref="Bucket"/>) and returns the packaged template; a failure of the command fails the test.
    /// </summary>
    public async Task<System.Text.Json.Nodes.JsonObject> PackageAsync(string templatePath)
    {
        var output = Path.Combine(Directory.CreateTempSubdirectory("realtime-cfn-package-").FullName, "packaged.json");
        var package = await Tool.RunAsync("aws",
            ["cloudformation", "package", "--template-file", templatePath, "--s3-bucket", Bucket,
             "--output-template-file", output, "--use-json"],
            environment: new Dictionary<string, string>
            {
                ["AWS_ENDPOINT_URL_S3"] = Endpoint.ToString(),
                ["AWS_ACCESS_KEY_ID"] = "local",
                ["AWS_SECRET_ACCESS_KEY"] = "local",
                ["AWS_DEFAULT_REGION"] = "us-east-1",
            });
        Assert.True(package.ExitCode == 0, package.ToString());
        return System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(output))!.AsObject();
    }

    public const string Bucket = "realtime-artifacts";

    private async Task HandleAsync(HttpContext context)
    {
        var key = Uri.UnescapeDataString(context.Request.Path.Value!.TrimStart('/'));
        switch (context.Request.Method)
        {
            case "HEAD" or "GET" when _objects.TryGetValue(key, out var stored):
                context.Response.Headers.ETag = $"\"{Convert.ToHexStringLower(MD5.HashData(stored))}\"";
                context.Response.ContentLength = stored.Length;
                if (context.Request.Method == "GET") await context.Response.Body.WriteAsync(stored);
                break;
            case "HEAD" or "GET":
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                break;
            case "PUT":
                using (var body = new MemoryStream())
                {
                    await context.Request.Body.CopyToAsync(body);
                    _objects[key] = body.ToArray();
                    context.Response.Headers.ETag = $"\"{Convert.ToHexStringLower(MD5.HashData(body.ToArray()))}\"";
                }
                break;
            default:
                context.Response.StatusCode = StatusCodes.Status501NotImplemented;
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().DefaultTimeout();
        await _app.DisposeAsync().DefaultTimeout();
    }
}
