using System.Collections.Concurrent;
using System.Net;
using Amazon.Runtime;
using Realtime.Connect.Hosting;
using Realtime.Connect.Registry;
using Realtime.Connect.Registry.DynamoDb;
using Realtime.Testing;

namespace Realtime.Connect.Tests.Registry;

/// <summary>DynamoDB requests carry the invocation's X-Ray trace header.</summary>
public sealed class DynamoDbTracingTests
{
    private const string Trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";

    [Fact]
    public async Task Every_request_of_a_traced_invocation_carries_the_trace_header()
    {
        var recorder = new RecordingHandler();
        var registry = DynamoDbRegistryFactory.Create(
            "connections", new Uri("http://127.0.0.1:9/"), "us-east-1", new BasicAWSCredentials("AKIDEXAMPLE", "secret"), new RegistryOptions(), TimeProvider.System,
            () => recorder);
        InvocationContext.Current = new InvocationContext("req-1", DateTimeOffset.UtcNow.AddMinutes(1), Trace);

        await registry.GetAsync("QrStUvWxYzAbCdE=", CancellationToken.None).DefaultTimeout();

        Assert.NotEmpty(recorder.Requests);
        Assert.All(recorder.Requests, request =>
        {
            Assert.Equal(Trace, request.Trace);
            Assert.StartsWith("AWS4-HMAC-SHA256", request.Authorization);
            Assert.DoesNotContain("x-amzn-trace-id", request.Authorization, StringComparison.OrdinalIgnoreCase);
        });
    }

    /// <summary>Answers every request with an empty item, as DynamoDB does for a key it does not hold.</summary>
    private sealed class RecordingHandler : HttpMessageHandler
    {
        public ConcurrentQueue<(string? Trace, string? Authorization)> Requests { get; } = new();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Enqueue((
                request.Headers.TryGetValues(TraceHeader.Name, out var trace) ? trace.Single() : null,
                request.Headers.TryGetValues("Authorization", out var authorization) ? authorization.Single() : null));
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                RequestMessage = request,
                Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/x-amz-json-1.0"),
            });
        }
    }
}
