using Amazon;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Realtime.Connect.Hosting;

namespace Realtime.Connect.Registry.DynamoDb;

/// <summary>
/// Builds the DynamoDB registry from the settings a host has: the table, and either another endpoint (DynamoDB Local)
/// or a region. Lambda's functions and the local host both come through here.
/// </summary>
public static class DynamoDbRegistryFactory
{
    /// <param name="endpoint">Another DynamoDB endpoint, or null for the region's.</param>
    /// <param name="region">The region, or the signing region at <paramref name="endpoint"/> (us-east-1 when null).</param>
    /// <param name="credentials">Credentials to use; null takes the SDK's standard chain.</param>
    public static DynamoDbConnectionRegistry Create(
        string tableName, Uri? endpoint, string? region, AWSCredentials? credentials, RegistryOptions options, TimeProvider timeProvider) =>
        Create(tableName, endpoint, region, credentials, options, timeProvider, transport: null);

    /// <param name="transport">Sends the requests (a test's recorder); a pooled socket handler when null.</param>
    internal static DynamoDbConnectionRegistry Create(
        string tableName, Uri? endpoint, string? region, AWSCredentials? credentials, RegistryOptions options, TimeProvider timeProvider,
        Func<HttpMessageHandler>? transport) =>
        new(CreateClient(endpoint, region, credentials, transport), new DynamoDbRegistryOptions { TableName = tableName }, options, timeProvider);

    /// <summary>A DynamoDB client for the region, or for another endpoint signed for <paramref name="region"/>.</summary>
    public static IAmazonDynamoDB CreateClient(Uri? endpoint, string? region, AWSCredentials? credentials) =>
        CreateClient(endpoint, region, credentials, transport: null);

    private static AmazonDynamoDBClient CreateClient(Uri? endpoint, string? region, AWSCredentials? credentials, Func<HttpMessageHandler>? transport)
    {
        // Every request carries the invocation's trace header (TraceHeaderHandler).
        var config = new AmazonDynamoDBConfig { HttpClientFactory = new TracingHttpClientFactory(transport) };
        if (endpoint is not null)
        {
            config.ServiceURL = endpoint.ToString();
            config.AuthenticationRegion = region ?? "us-east-1";
        }
        else if (region is not null)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }
        return credentials is null ? new AmazonDynamoDBClient(config) : new AmazonDynamoDBClient(credentials, config);
    }
}
