using System.Collections.Concurrent;
using System.Net;
using Amazon.Runtime;

namespace Realtime.Testing.DynamoDb;

/// <summary>
/// Sees every HTTP request the DynamoDB client sends (retries included), counted by operation
/// (<c>X-Amz-Target: DynamoDB_20120810.PutItem</c> → <c>PutItem</c>), and can answer an operation with a failure
/// instead of passing it on, so tests show what a failing DynamoDB does to the caller.
/// </summary>
public sealed class DynamoDbTraffic : HttpClientFactory
{
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, HttpStatusCode> _failures = new(StringComparer.Ordinal);

    public int this[string operation] => _counts.TryGetValue(operation, out var count) ? count : 0;

    public int Total => _counts.Values.Sum();

    public IReadOnlyDictionary<string, int> Counts => new Dictionary<string, int>(_counts);

    public void Reset() => _counts.Clear();

    /// <summary>From now on, answers <paramref name="operation"/> with <paramref name="status"/> (a 500 is retried by the SDK).</summary>
    public void Fail(string operation, HttpStatusCode status = HttpStatusCode.InternalServerError) => _failures[operation] = status;

    public void StopFailing() => _failures.Clear();

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(new Handler(this) { InnerHandler = new SocketsHttpHandler() });

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

    private sealed class Handler(DynamoDbTraffic traffic) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var target = request.Headers.TryGetValues("X-Amz-Target", out var values) ? values.First() : "?";
            var operation = target[(target.IndexOf('.') + 1)..];
            traffic._counts.AddOrUpdate(operation, 1, (_, n) => n + 1);

            if (traffic._failures.TryGetValue(operation, out var status))
            {
                return Task.FromResult(new HttpResponseMessage(status)
                {
                    RequestMessage = request,
                    Content = new StringContent("""{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"Injected failure"}""",
                        System.Text.Encoding.UTF8, "application/x-amz-json-1.0"),
                });
            }
            return base.SendAsync(request, cancellationToken);
        }
    }
}
