using Amazon.Runtime;

namespace Realtime.Connect.Hosting;

/// <summary>
/// An AWS SDK client's HttpClient (DynamoDB, SQS), with <see cref="TraceHeaderHandler"/> in front of the transport.
/// The SDK keeps caching the client per configuration, so connections stay pooled across invocations as with its own
/// factory.
/// </summary>
public sealed class TracingHttpClientFactory(Func<HttpMessageHandler>? transport = null) : HttpClientFactory
{
    public override HttpClient CreateHttpClient(IClientConfig clientConfig)
    {
        ArgumentNullException.ThrowIfNull(clientConfig);
        var handler = new TraceHeaderHandler { InnerHandler = transport?.Invoke() ?? Transport(clientConfig) };
        var client = new HttpClient(handler);
        if (clientConfig.Timeout is { } timeout) client.Timeout = timeout;
        return client;
    }

    // A given transport (a test's) is never cached: the SDK's cache is process-wide and keyed by configuration alone.
    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => transport is null;

    // Kept apart from clients made by the SDK's own factory for the same configuration, which lack the handler.
    public override string GetConfigUniqueString(IClientConfig clientConfig) => "realtime-traced:" + base.GetConfigUniqueString(clientConfig);

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

    private static SocketsHttpHandler Transport(IClientConfig clientConfig) => new()
    {
        // Re-resolve DNS now and then, as the SDK's own handler does for long-lived processes.
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        MaxConnectionsPerServer = clientConfig.MaxConnectionsPerServer ?? int.MaxValue,
        AllowAutoRedirect = false,
        UseCookies = false,
    };
}
