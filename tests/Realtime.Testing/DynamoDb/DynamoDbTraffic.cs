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

    private int _unprocessedBatches;

    /// <summary>The next <paramref name="batches"/> BatchWriteItem calls succeed but leave every item unprocessed, as a throttled table does.</summary>
    public void LeaveBatchesUnprocessed(int batches) => Interlocked.Exchange(ref _unprocessedBatches, batches);

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
            if (operation == "BatchWriteItem" && Interlocked.Decrement(ref traffic._unprocessedBatches) >= 0)
            {
                return EchoAsUnprocessedAsync(request, cancellationToken);
            }
            Interlocked.CompareExchange(ref traffic._unprocessedBatches, 0, -1);
            return base.SendAsync(request, cancellationToken);
        }

        private static async Task<HttpResponseMessage> EchoAsUnprocessedAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            using var body = System.Text.Json.JsonDocument.Parse(await request.Content!.ReadAsStringAsync(cancellationToken));
            var unprocessed = body.RootElement.GetProperty("RequestItems").GetRawText();
            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                RequestMessage = request,
                Content = new StringContent($$$"""{"UnprocessedItems":{{{unprocessed}}}}""", System.Text.Encoding.UTF8, "application/x-amz-json-1.0"),
            };
        }
    }
}
