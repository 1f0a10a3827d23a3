using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Realtime.Bootstrap;
using Realtime.Connect.Hosting;
using Realtime.Testing.Lambda;

namespace Realtime.Deployment.Tests.Bootstrap;

/// <summary>
/// The bootstrap's invocation loop in process, around functions of the tests' own making, against the loopback
/// Runtime API: what a function sees of its invocation, how its errors and its response streams go back.
/// </summary>
public sealed class InvocationLoopTests
{
    [Fact]
    public async Task A_function_sees_its_invocations_request_id_deadline_and_trace_header_while_it_runs()
    {
        var requestIds = new List<string>();
        await RunAsync(Describe, async runtimeApi =>
        {
            foreach (var timeout in new[] { TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(5) })
            {
                var traceId = RuntimeApiServer.NewTraceId();
                var asked = DateTimeOffset.UtcNow;
                var outcome = await runtimeApi.InvokeAsync("{}", timeout, traceId).DefaultTimeout();
                Assert.False(outcome.IsError, outcome.ToString());

                var seen = outcome.Json;
                Assert.Equal(traceId, seen["traceId"]!.GetValue<string>());
                Assert.Equal(traceId, seen["variable"]!.GetValue<string>());
                var deadline = DateTimeOffset.FromUnixTimeMilliseconds(seen["deadline"]!.GetValue<long>());
                Assert.InRange(deadline, asked + timeout - TimeSpan.FromSeconds(1), DateTimeOffset.UtcNow + timeout);
                requestIds.Add(seen["requestId"]!.GetValue<string>());
            }
        });
        Assert.All(requestIds, id => Assert.True(Guid.TryParse(id, out _), id));
        Assert.Equal(requestIds.Count, requestIds.Distinct().Count());
    }

    [Fact]
    public async Task A_functions_exception_is_that_invocations_error_and_the_next_invocation_is_served()
    {
        await RunAsync(FailOnDemand, async runtimeApi =>
        {
            var failed = await runtimeApi.InvokeAsync("""{"fail":true}""").DefaultTimeout();
            Assert.Equal("InvalidOperationException", failed.ErrorType);
            Assert.Equal("InvalidOperationException", failed.Json["errorType"]!.GetValue<string>());
            Assert.Equal("The event asked to fail.", failed.Json["errorMessage"]!.GetValue<string>());
            Assert.Contains(failed.Json["stackTrace"]!.AsArray(), line => line!.GetValue<string>().Contains(nameof(FailOnDemand), StringComparison.Ordinal));

            var next = await runtimeApi.InvokeAsync("""{"fail":false}""").DefaultTimeout();
            Assert.False(next.IsError, next.ToString());
            Assert.Equal("""{"fail":false}""", Encoding.UTF8.GetString(next.Body));
        });
    }

    public static TheoryData<string> Streams => new(["exposed buffer", "hidden buffer", "no length"]);

    [Theory]
    [MemberData(nameof(Streams))]
    public async Task The_response_is_the_rest_of_the_functions_stream_whatever_stream_it_is(string kind)
    {
        var body = Encoding.UTF8.GetBytes("""{"statusCode":200}""");
        await RunAsync(_ => Task.FromResult(ResponseStream(kind, body)), async runtimeApi =>
        {
            var outcome = await runtimeApi.InvokeAsync("{}").DefaultTimeout();
            Assert.False(outcome.IsError, outcome.ToString());
            Assert.Equal(body, outcome.Body);
        });
    }

    /// <summary>Runs the loop around <paramref name="function"/> for the length of <paramref name="test"/>, then stops it.</summary>
    private static async Task RunAsync(Func<Stream, Task<Stream>> function, Func<RuntimeApiServer, Task> test)
    {
        await using var runtimeApi = await RuntimeApiServer.StartAsync();
        using var api = new RuntimeApiClient(runtimeApi.Address);
        using var stopping = new CancellationTokenSource();
        var running = new InvocationLoop(api, new FunctionHandler(function), NullLogger.Instance).RunAsync(stopping.Token);
        try
        {
            await test(runtimeApi);
        }
        finally
        {
            await stopping.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running).DefaultTimeout();
            Environment.SetEnvironmentVariable(TraceHeader.Variable, null);
        }
    }

    private static Task<Stream> Describe(Stream input)
    {
        var invocation = InvocationContext.Current!;
        var seen = new JsonObject
        {
            ["requestId"] = invocation.RequestId,
            ["deadline"] = invocation.Deadline.ToUnixTimeMilliseconds(),
            ["traceId"] = invocation.TraceId,
            ["variable"] = Environment.GetEnvironmentVariable(TraceHeader.Variable),
        };
        return Task.FromResult<Stream>(new MemoryStream(Encoding.UTF8.GetBytes(seen.ToJsonString())));
    }

    private static async Task<Stream> FailOnDemand(Stream input)
    {
        var copy = new MemoryStream();
        await input.CopyToAsync(copy);
        if (JsonNode.Parse(copy.ToArray())!["fail"]!.GetValue<bool>()) throw new InvalidOperationException("The event asked to fail.");
        copy.Position = 0;
        return copy;
    }

    private static Stream ResponseStream(string kind, byte[] body)
    {
        switch (kind)
        {
            case "exposed buffer":
                // Already read past a prefix: only what is left is the response.
                var exposed = new MemoryStream();
                exposed.Write("ignored"u8);
                exposed.Write(body);
                exposed.Position = "ignored"u8.Length;
                return exposed;
            case "hidden buffer":
                return new MemoryStream(body, writable: false);
            default:
                var pipe = new Pipe();
                pipe.Writer.Write(body);
                pipe.Writer.Complete();
                return pipe.Reader.AsStream();
        }
    }
}
