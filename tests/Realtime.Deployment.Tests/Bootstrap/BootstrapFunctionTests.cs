using System.Text.Json.Nodes;
using Realtime.Connect.Hosting;
using Realtime.Deployment.Tests.Infrastructure;
using Realtime.Testing.Connections;
using Realtime.Testing.Functions;
using Realtime.Testing.Lambda;

namespace Realtime.Deployment.Tests.Bootstrap;

/// <summary>
/// The functions under the custom runtime: the Native AOT bootstrap of the zip, configured only by the template,
/// answers the same real events as the managed runtime does, reports a function's error and lives on, and hands
/// each invocation's trace header to the calls the function makes.
/// </summary>
public sealed class BootstrapFunctionTests(BootstrapStack stack) : IClassFixture<BootstrapStack>
{
    public static TheoryData<string> Functions => new(SamTemplate.FunctionIds(SamTemplate.Source));

    [Theory]
    [MemberData(nameof(Functions))]
    public void Every_handler_of_the_template_initializes_under_the_custom_runtime(string functionId)
    {
        // The fixture waited for each process's first /next: its handler was found and its constructor ran.
        Assert.False(stack[functionId].HasExited, string.Join('\n', stack[functionId].Output));
        Assert.DoesNotContain(stack[functionId].Output, line => line.Contains("Exception", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Connect_message_and_disconnect_answer_real_events()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        string alice = $"alice-{run}", bob = $"bob-{run}";
        var room = $"room:aot-{run}";
        var chat = stack.ConnectionsOf("MessageFunction");
        foreach (var id in new[] { alice, bob }) chat.Connect(id);

        foreach (var (id, user) in new[] { (alice, "alice"), (bob, "bob") })
        {
            Assert.Equal(200, (await stack.InvokeAsync("ConnectFunction", ProxyEvents.Connect(id, user))).StatusCode);
            Assert.Equal(200, (await Route(id, user, "subscribe", $$"""{"action":"subscribe","topic":"{{room}}","id":"s"}""")).StatusCode);
        }
        Assert.Equal(200, (await Route(alice, "alice", "send", $$$"""{"action":"send","topic":"{{{room}}}","data":{"text":"hi"},"id":"m"}""")).StatusCode);
        Assert.Contains(Frames(chat, bob), frame => frame["type"]?.GetValue<string>() == "message" && frame["data"]!["text"]!.GetValue<string>() == "hi");
        Assert.Contains(Frames(chat, alice), frame => frame["type"]?.GetValue<string>() == "ack" && frame["id"]?.GetValue<string>() == "m");

        Assert.Equal(200, (await stack.InvokeAsync("DisconnectFunction", ProxyEvents.Disconnect(bob, principalId: "bob"))).StatusCode);
        Assert.Equal(200, (await Route(alice, "alice", "who", $$"""{"action":"who","topic":"{{room}}","id":"q"}""")).StatusCode);
        var who = Assert.Single(Frames(chat, alice), frame => frame["id"]?.GetValue<string>() == "q");
        Assert.Equal("who", who["type"]!.GetValue<string>());
        Assert.Equal(["alice"], who["users"]!.AsArray().Select(user => user!.GetValue<string>()));
    }

    [Fact]
    public async Task The_authorizer_lets_an_anonymous_client_in_and_denies_a_garbage_token()
    {
        var anonymous = await stack["AuthorizerFunction"].InvokeAsync(LambdaEvents.Authorizer(queryToken: null));
        Assert.False(anonymous.IsError, anonymous.ToString());
        Assert.Equal("Allow", anonymous.Json["policyDocument"]!["Statement"]![0]!["Effect"]!.GetValue<string>());
        Assert.StartsWith("anonymous:", anonymous.Json["principalId"]!.GetValue<string>());

        var garbage = await stack["AuthorizerFunction"].InvokeAsync(LambdaEvents.Authorizer(queryToken: "not-a-jwt"));
        Assert.False(garbage.IsError, garbage.ToString());
        Assert.Equal("Deny", garbage.Json["policyDocument"]!["Statement"]![0]!["Effect"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_publish_through_the_queue_reaches_the_topics_subscribers()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var watcher = $"watcher-{run}";
        var wishlist = $"wishlist:{run}";
        stack.ConnectionsOf("MessageFunction").Connect(watcher);
        stack.ConnectionsOf("PublishFunction").Connect(watcher);
        Assert.Equal(200, (await stack.InvokeAsync("ConnectFunction", ProxyEvents.Connect(watcher, "carol"))).StatusCode);
        Assert.Equal(200, (await Route(watcher, "carol", "subscribe", $$"""{"action":"subscribe","topic":"{{wishlist}}","id":"w"}""")).StatusCode);

        var published = await stack["PublishFunction"].InvokeAsync(LambdaEvents.Sqs($$$"""{"topic":"{{{wishlist}}}","event":"item_added","data":{"sku":"42"}}"""));
        Assert.False(published.IsError, published.ToString());
        Assert.Empty(published.Json["batchItemFailures"]!.AsArray());
        Assert.Contains(Frames(stack.ConnectionsOf("PublishFunction"), watcher),
            frame => frame["type"]?.GetValue<string>() == "event" && frame["topic"]!.GetValue<string>() == wishlist);
    }

    /// <summary>
    /// With its subscribers' @connections never answering, a publish stops at the invocation's own deadline (the
    /// runtime's <c>Lambda-Runtime-Deadline-Ms</c>) and reports every record it could not finish, before Lambda would
    /// have stopped it.
    /// </summary>
    [Fact]
    public async Task A_publish_against_a_stalled_connections_endpoint_reports_its_records_before_the_deadline()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var wishlist = $"wishlist:stalled-{run}";
        var publishing = stack.ConnectionsOf("PublishFunction");
        foreach (var watcher in new[] { $"w1-{run}", $"w2-{run}" })
        {
            stack.ConnectionsOf("MessageFunction").Connect(watcher);
            publishing.Connect(watcher);
            publishing.Script(watcher, ConnectionsAnswer.Hang, ConnectionsAnswer.Hang, ConnectionsAnswer.Hang, ConnectionsAnswer.Hang);
            Assert.Equal(200, (await stack.InvokeAsync("ConnectFunction", ProxyEvents.Connect(watcher, "dave"))).StatusCode);
            Assert.Equal(200, (await Route(watcher, "dave", "subscribe", $$"""{"action":"subscribe","topic":"{{wishlist}}","id":"w"}""")).StatusCode);
        }
        var batch = JsonNode.Parse(LambdaEvents.Sqs($$$"""{"topic":"{{{wishlist}}}","event":"item_added"}"""))!.AsObject();
        var second = batch["Records"]![0]!.DeepClone();
        second["messageId"] = "second-" + run;
        batch["Records"]!.AsArray().Add(second);

        var deadline = TimeSpan.FromSeconds(4);
        var started = System.Diagnostics.Stopwatch.StartNew();
        var outcome = await stack["PublishFunction"].InvokeAsync(batch.ToJsonString(), deadline);
        var took = started.Elapsed;

        Assert.False(outcome.IsError, outcome.ToString());
        var failures = outcome.Json["batchItemFailures"]!.AsArray().Select(f => f!["itemIdentifier"]!.GetValue<string>()).ToList();
        Assert.Equal([batch["Records"]![0]!["messageId"]!.GetValue<string>(), "second-" + run], failures);
        Assert.True(took < deadline, $"answered after {took.TotalMilliseconds:F0} ms, past the {deadline.TotalMilliseconds} ms deadline");
    }

    /// <summary>
    /// A publish to more subscribers than one invocation serves: under the custom runtime the publish function's SQS
    /// client (Native AOT) queues the shards, and the shard function, invoked with each as Lambda's poller would with
    /// its Timeout as the deadline, posts every live subscriber the event exactly once and forgets the gone one.
    /// </summary>
    [Fact]
    public async Task A_publish_to_a_large_audience_goes_through_the_shard_queue_to_every_subscriber_once()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var topic = $"wishlist:aot-crowd-{run}";
        var audience = Enumerable.Range(0, 1500).Select(i => $"aot-{run}-{i:D4}").ToList();
        var gone = audience[1234];
        var shards = stack.ConnectionsOf("ShardFunction");
        foreach (var id in audience.Where(id => id != gone)) shards.Connect(id);
        await Audience.SubscribeAsync(stack.Table, topic, audience);

        var publishEvent = LambdaEvents.Sqs($$$"""{"topic":"{{{topic}}}","event":"item_added","data":{"sku":"42"}}""");
        var messageId = JsonNode.Parse(publishEvent)!["Records"]![0]!["messageId"]!.GetValue<string>();
        var published = await stack["PublishFunction"].InvokeAsync(publishEvent);
        Assert.False(published.IsError, published.ToString());
        Assert.Empty(published.Json["batchItemFailures"]!.AsArray());
        Assert.Equal(["SendMessageBatch"], stack.SqsOf("PublishFunction").Operations.Distinct());
        Assert.Equal(2, ShardsOf(messageId).Count);

        var invocations = await stack.EventSourceOf("ShardFunction").DrainAsync();
        Assert.All(invocations, invocation => Assert.Empty(invocation.Failed));
        Assert.Equal(2, invocations.Count);
        var notOnce = audience.Where(id => id != gone && Frames(shards, id).Count(frame => frame["messageId"]?.GetValue<string>() == messageId) != 1).ToList();
        Assert.True(notOnce.Count == 0, $"{notOnce.Count} subscribers did not get the event exactly once, {string.Join(", ", notOnce.Take(5))} among them.");
        Assert.Equal(0, await Audience.ItemsOfAsync(stack.Table, gone));
        Assert.Empty(stack.Queues.DeadLetters("ShardQueue"));
    }

    /// <summary>
    /// A shard the invocation cannot finish by its deadline (the runtime's <c>Lambda-Runtime-Deadline-Ms</c>; here 4.5
    /// seconds for 1,000 posts at the default 500 a second) is not reported failed: the shard function saves how far it
    /// got, queues the same shard again and answers in time. The next invocation goes on from there, and every
    /// subscriber has the event exactly once.
    /// </summary>
    [Fact]
    public async Task A_shard_not_finished_by_the_deadline_is_handed_on_and_the_next_invocation_goes_on_from_where_it_stopped()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var topic = $"wishlist:aot-handoff-{run}";
        var audience = Enumerable.Range(0, 1000).Select(i => $"handoff-{run}-{i:D4}").ToList();
        var shards = stack.ConnectionsOf("ShardFunction");
        foreach (var id in audience) shards.Connect(id);
        await Audience.SubscribeAsync(stack.Table, topic, audience);

        var publishEvent = LambdaEvents.Sqs($$$"""{"topic":"{{{topic}}}","event":"item_added"}""");
        var messageId = JsonNode.Parse(publishEvent)!["Records"]![0]!["messageId"]!.GetValue<string>();
        Assert.Empty((await stack["PublishFunction"].InvokeAsync(publishEvent)).Json["batchItemFailures"]!.AsArray());
        var shard = Assert.Single(ShardsOf(messageId));
        int Reached() => audience.Count(id => Frames(shards, id).Any(frame => frame["messageId"]?.GetValue<string>() == messageId));

        var deadline = TimeSpan.FromSeconds(4.5);
        var started = System.Diagnostics.Stopwatch.StartNew();
        var first = await stack.EventSourceOf("ShardFunction").PollOnceAsync(deadline);
        var took = started.Elapsed;

        Assert.False(first.Outcome.IsError, first.Outcome.ToString());
        Assert.Empty(first.Failed);
        Assert.True(took < deadline, $"answered after {took.TotalMilliseconds:F0} ms, past the {deadline.TotalMilliseconds} ms deadline");
        var handedOn = ShardsOf(messageId).Where(message => message.SentBy == "ShardFunction").ToList();
        Assert.Equal(shard.Body, Assert.Single(handedOn).Body);
        var worked = await stack["ShardFunction"].WaitForLogLineAsync(line =>
            line.TryGetProperty("event", out var name) && name.GetString() == "ShardWorked"
            && line.TryGetProperty("Range", out var range) && range.GetString()!.StartsWith(messageId, StringComparison.Ordinal));
        Assert.Equal("HandedOff", worked.GetProperty("State").GetString());
        var reachedFirst = Reached();
        Assert.InRange(reachedFirst, 1, audience.Count - 1);

        var rest = await stack.EventSourceOf("ShardFunction").DrainAsync();
        Assert.All(rest, invocation => Assert.Empty(invocation.Failed));
        var notOnce = audience.Where(id => Frames(shards, id).Count(frame => frame["messageId"]?.GetValue<string>() == messageId) != 1).ToList();
        Assert.True(notOnce.Count == 0, $"{notOnce.Count} subscribers did not get the event exactly once ({reachedFirst} were reached before the hand-off), {string.Join(", ", notOnce.Take(5))} among them.");
    }

    [Fact]
    public async Task A_function_error_is_reported_with_its_type_and_the_process_serves_the_next_invocation()
    {
        var authorizer = stack["AuthorizerFunction"];
        var failed = await authorizer.InvokeAsync("[1, 2, 3]");

        // The type in the Lambda-Runtime-Function-Error-Type header and in the document: the short name, as Lambda shows it.
        Assert.Equal("JsonException", failed.ErrorType);
        Assert.Equal("JsonException", failed.Json["errorType"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(failed.Json["errorMessage"]!.GetValue<string>()), failed.ToString());
        Assert.NotEmpty(failed.Json["stackTrace"]!.AsArray());

        var next = await authorizer.InvokeAsync(LambdaEvents.Authorizer(queryToken: null));
        Assert.False(next.IsError, next.ToString());
        Assert.False(authorizer.HasExited);
    }

    [Fact]
    public async Task A_malformed_event_gets_a_400_and_the_function_lives_on()
    {
        var outcome = await stack["MessageFunction"].InvokeAsync("""{"requestContext": 42}""");
        Assert.False(outcome.IsError, outcome.ToString());
        Assert.Equal(400, outcome.Json["statusCode"]!.GetValue<int>());

        var id = "after-" + Guid.NewGuid().ToString("N")[..8];
        stack.ConnectionsOf("MessageFunction").Connect(id);
        Assert.Equal(200, (await Route(id, "alice", "ping", """{"action":"ping","id":"p"}""")).StatusCode);
    }

    /// <summary>
    /// X-Ray links a call to the invocation that made it by the trace header the call carries: each invocation's
    /// <c>Lambda-Runtime-Trace-Id</c>, published by the bootstrap for that invocation alone, is the header of the
    /// DynamoDB requests the function makes while it runs, and the next invocation's calls carry the next one.
    /// </summary>
    [Fact]
    public async Task The_trace_header_of_each_invocation_is_the_one_its_DynamoDB_calls_carry()
    {
        foreach (var round in new[] { "first", "second" })
        {
            var connectionId = $"traced-{round}-{Guid.NewGuid():N}"[..24];
            var traceId = RuntimeApiServer.NewTraceId();
            Assert.Equal(200, (await stack.InvokeAsync("ConnectFunction", ProxyEvents.Connect(connectionId, "trace"), traceId)).StatusCode);

            var calls = stack.DynamoDb.Requests.Where(request => request.Body.Contains(connectionId, StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(calls);
            Assert.All(calls, call => Assert.Equal(traceId, call.TraceHeader));
        }
    }

    /// <summary>
    /// Every line a function logs while it runs names its invocation: the request id and the trace handed over with
    /// it (the trace header's Root, which X-Ray and Logs Insights know the trace by).
    /// </summary>
    [Fact]
    public async Task The_log_lines_of_an_invocation_carry_its_request_id_and_trace_id()
    {
        var requestIds = new List<string>();
        foreach (var round in new[] { "first", "second" })
        {
            var connectionId = $"logged-{round}-{Guid.NewGuid():N}"[..24];
            var traceId = RuntimeApiServer.NewTraceId();
            Assert.Equal(200, (await stack.InvokeAsync("ConnectFunction", ProxyEvents.Connect(connectionId, "trace"), traceId)).StatusCode);

            var connected = await stack["ConnectFunction"].WaitForLogLineAsync(line =>
                line.TryGetProperty("event", out var name) && name.GetString() == "Connected"
                && line.TryGetProperty("ConnectionId", out var id) && id.GetString() == connectionId);
            Assert.Equal(TraceHeader.RootOf(traceId), connected.GetProperty("traceId").GetString());
            requestIds.Add(connected.GetProperty("requestId").GetString()!);
        }
        Assert.All(requestIds, id => Assert.True(Guid.TryParse(id, out _), id));
        Assert.NotEqual(requestIds[0], requestIds[1]);
    }

    private Task<Realtime.Connect.Contract.ProxyResponse> Route(string connectionId, string user, string routeKey, string body) =>
        stack.InvokeAsync("MessageFunction", ProxyEvents.Message(connectionId, body, user, routeKey));

    /// <summary>The shards of one message that reached the shard queue, in the order they did.</summary>
    private IReadOnlyList<SqsMessage> ShardsOf(string messageId) =>
        stack.Queues.Sent("ShardQueue").Where(shard => JsonNode.Parse(shard.Body)!["messageId"]?.GetValue<string>() == messageId).ToList();

    private static IReadOnlyList<JsonNode> Frames(LoopbackConnectionsServer server, string connectionId) =>
        server.MessagesTo(connectionId).Select(bytes => JsonNode.Parse(bytes)!).ToList();
}
