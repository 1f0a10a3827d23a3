using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Realtime.Deployment.Tests.Infrastructure;
using Realtime.Testing;
using Realtime.Testing.Functions;

namespace Realtime.Deployment.Tests.Functions;

/// <summary>
/// The packaged functions, loaded from their zips the way Lambda's managed runtime loads them and configured only
/// by the template, answer real events; and what they do needs exactly the permissions the template grants.
/// </summary>
public sealed class PackagedFunctionTests(PackagedStack stack) : IClassFixture<PackagedStack>
{
    public static TheoryData<string> Functions => new(SamTemplate.FunctionIds(SamTemplate.Source));

    [Theory]
    [MemberData(nameof(Functions))]
    public void Every_handler_resolves_in_its_package_and_initializes(string functionId)
    {
        // The fixture waited for each process's first /next: the handler loaded and its constructor ran.
        Assert.False(stack[functionId].HasExited, string.Join('\n', stack[functionId].Output));
        Assert.DoesNotContain(stack[functionId].Output, line => line.Contains("Exception", StringComparison.Ordinal));
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
    public async Task A_malformed_event_gets_a_400_and_the_function_lives_on()
    {
        var outcome = await stack["MessageFunction"].InvokeAsync("""{"requestContext": 42}""");
        Assert.False(outcome.IsError, outcome.ToString());
        Assert.Equal(400, outcome.Json["statusCode"]!.GetValue<int>());

        var ping = await stack.InvokeAsync("MessageFunction", ProxyEvents.Message("after-" + Guid.NewGuid().ToString("N")[..8], """{"action":"ping"}""", "alice", "ping"));
        Assert.Equal(200, ping.StatusCode);
    }

    [Theory]
    [InlineData("attacker.example")]
    [InlineData("abcde12345.execute-api.us-east-1.amazonaws.com@attacker.example")]
    public async Task An_event_naming_another_host_is_answered_at_the_configured_endpoint_only(string forgedDomain)
    {
        var id = "forged-" + Guid.NewGuid().ToString("N")[..8];
        var connections = stack.ConnectionsOf("MessageFunction")!;
        connections.Connect(id);
        var message = ProxyEvents.Message(id, """{"action":"ping","id":"f"}""", "mallory", "ping");
        var forged = message with { RequestContext = message.RequestContext with { DomainName = forgedDomain } };

        Assert.Equal(200, (await stack.InvokeAsync("MessageFunction", forged)).StatusCode);

        // The pong, signed with the function's credentials, went to the stage the template configured.
        Assert.Contains(Frames(connections, id), frame => frame["type"]?.GetValue<string>() == "pong");
    }

    /// <summary>
    /// Connect, subscribe, chat, who, unsubscribe, publish, a gone member, disconnect, a chat message to a room too
    /// large for one invocation (through the shard queue and the shard function) and a publish to a larger audience
    /// still (<see cref="LargePublishAsync"/>): every path of every function that touches DynamoDB, <c>@connections</c>
    /// or SQS. The permissions those requests needed, recorded per function, are then exactly what the SAM-transformed
    /// template grants that function: nothing missing, nothing more.
    /// </summary>
    [Fact]
    public async Task A_session_through_every_function_needs_exactly_the_permissions_the_template_grants()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        string alice = $"alice-{run}", bob = $"bob-{run}", gone = $"gone-{run}";
        var room = $"room:deploy-{run}";
        var wishlist = $"wishlist:{run}";
        var chat = stack.ConnectionsOf("MessageFunction")!;
        var publish = stack.ConnectionsOf("PublishFunction")!;
        foreach (var id in new[] { alice, bob }) { chat.Connect(id); publish.Connect(id); }

        foreach (var (id, user) in new[] { (alice, "alice"), (bob, "bob"), (gone, "gone") })
        {
            Assert.Equal(200, (await stack.InvokeAsync("ConnectFunction", ProxyEvents.Connect(id, user))).StatusCode);
            Assert.Equal(200, (await Route(id, user, "subscribe", $$"""{"action":"subscribe","topic":"{{room}}","id":"s"}""")).StatusCode);
            Assert.Equal(200, (await Route(id, user, "subscribe", $$"""{"action":"subscribe","topic":"{{wishlist}}","id":"w"}""")).StatusCode);
        }

        // The gone member answers 410 to the chat message and is cleaned up by the message function...
        Assert.Equal(200, (await Route(alice, "alice", "send", $$$"""{"action":"send","topic":"{{{room}}}","data":{"text":"hi"},"id":"m"}""")).StatusCode);
        Assert.Contains(Frames(chat, bob), frame => frame["type"]?.GetValue<string>() == "message" && frame["data"]!["text"]!.GetValue<string>() == "hi");
        Assert.Equal(200, (await Route(bob, "bob", "who", $$"""{"action":"who","topic":"{{room}}","id":"q"}""")).StatusCode);
        Assert.Equal(200, (await Route(bob, "bob", "unsubscribe", $$"""{"action":"unsubscribe","topic":"{{room}}","id":"u"}""")).StatusCode);

        // ...and a publish reaches both watchers through the queue's function, which cleans up what is gone too.
        Assert.Equal(200, (await stack.InvokeAsync("ConnectFunction", ProxyEvents.Connect(gone, "gone"))).StatusCode);
        Assert.Equal(200, (await Route(gone, "gone", "subscribe", $$"""{"action":"subscribe","topic":"{{wishlist}}","id":"w"}""")).StatusCode);
        var published = await stack["PublishFunction"].InvokeAsync(LambdaEvents.Sqs($$$"""{"topic":"{{{wishlist}}}","event":"item_added","data":{"sku":"42"}}"""));
        Assert.False(published.IsError, published.ToString());
        Assert.Empty(published.Json["batchItemFailures"]!.AsArray());
        foreach (var id in new[] { alice, bob })
        {
            Assert.Contains(Frames(publish, id), frame => frame["type"]?.GetValue<string>() == "event" && frame["topic"]!.GetValue<string>() == wishlist);
        }

        Assert.Equal(200, (await stack.InvokeAsync("DisconnectFunction", ProxyEvents.Disconnect(bob, principalId: "bob"))).StatusCode);

        // A room larger than one invocation serves: the message function queues its shard and acknowledges at once;
        // the shard function delivers it, once, to every member, and forgets the member that is gone.
        var crowdRoom = $"room:crowd-{run}";
        var crowd = Enumerable.Range(0, DirectAudience + 100).Select(i => $"member-{run}-{i:D3}").ToList();
        var crowdGone = crowd[DirectAudience / 2];
        var shards = stack.ConnectionsOf("ShardFunction")!;
        foreach (var id in crowd.Where(id => id != crowdGone).Append(alice)) shards.Connect(id);
        await Audience.SubscribeAsync(stack.DynamoDb, crowdRoom, crowd);
        Assert.Equal(200, (await Route(alice, "alice", "subscribe", $$"""{"action":"subscribe","topic":"{{crowdRoom}}","id":"cs"}""")).StatusCode);
        Assert.Equal(200, (await Route(alice, "alice", "send", $$$"""{"action":"send","topic":"{{{crowdRoom}}}","data":{"text":"hello all"},"id":"c"}""")).StatusCode);
        var ack = Assert.Single(Frames(chat, alice), frame => frame["id"]?.GetValue<string>() == "c");
        Assert.Equal("ack", ack["type"]!.GetValue<string>());
        Assert.True(ack["queued"]!.GetValue<bool>(), ack.ToJsonString());
        var messageId = ack["messageId"]!.GetValue<string>();
        Assert.Single(ShardsOf(messageId), shard => shard.SentBy == "MessageFunction");

        var invocations = await stack.EventSourceOf("ShardFunction").DrainAsync();
        Assert.All(invocations, invocation => Assert.Empty(invocation.Failed));
        foreach (var id in crowd.Where(id => id != crowdGone).Append(alice))
        {
            Assert.Single(Frames(shards, id), frame => frame["type"]?.GetValue<string>() == "message" && frame["messageId"]?.GetValue<string>() == messageId);
        }
        Assert.Equal(0, await Audience.ItemsOfAsync(stack.DynamoDb, crowdGone));
        // The message function only queued it: it posted to none of the room but the sender's ack.
        Assert.DoesNotContain(chat.Calls, call => call.ConnectionId.StartsWith($"member-{run}-", StringComparison.Ordinal));

        await LargePublishAsync();

        var transformed = await GrantedPermissions.TransformAsync(stack.Artifacts.TemplatePath, PackagedStack.Parameters);
        foreach (var functionId in stack.FunctionIds) AssertNeedsExactlyWhatIsGranted(transformed, functionId);
    }

    /// <summary>
    /// A publish to an audience of more than ten shards: the publish function only splits it, queueing ten shards of
    /// 1,000 connections and the rest of the audience as an open range; the shard function, invoked by the shard
    /// queue one shard at a time as Lambda's poller would, posts each shard, splits the open range in turn and posts
    /// that. Every live subscriber gets the event exactly once, under the publish record's id; the gone ones are
    /// removed from the table. What the two functions did needs exactly what the template grants them.
    /// </summary>
    [Fact]
    public async Task A_publish_to_a_large_audience_goes_through_the_shard_queue_and_reaches_every_subscriber_exactly_once()
    {
        var publish = await LargePublishAsync();

        var fromPublish = publish.Shards.Where(shard => shard.SentBy == "PublishFunction").Select(shard => JsonNode.Parse(shard.Body)!).ToList();
        Assert.Equal(ShardsPerSplit + 1, fromPublish.Count);
        Assert.Equal(ShardsPerSplit, fromPublish.Count(shard => shard["until"] is not null));
        var open = Assert.Single(fromPublish, shard => shard["until"] is null);
        var fromShards = publish.Shards.Where(shard => shard.SentBy == "ShardFunction").Select(shard => JsonNode.Parse(shard.Body)!).ToList();
        Assert.NotEmpty(fromShards);
        Assert.All(fromShards, shard => Assert.Equal(open["after"]!.GetValue<string>(), shard["after"]!.GetValue<string>()));

        // The closed shards tile the audience: each starts where another ended, none holds more than a shard's size.
        var closed = fromPublish.Concat(fromShards).Where(shard => shard["until"] is not null)
            .Select(shard => (After: shard["after"]?.GetValue<string>(), Until: shard["until"]!.GetValue<string>()))
            .OrderBy(range => range.Until, StringComparer.Ordinal).ToList();
        Assert.Null(closed[0].After);
        for (var i = 1; i < closed.Count; i++) Assert.Equal(closed[i - 1].Until, closed[i].After);
        Assert.Equal(publish.Audience[^1], closed[^1].Until);
        Assert.All(closed, range => Assert.InRange(publish.Audience.Count(id => string.CompareOrdinal(id, range.After) > 0 && string.CompareOrdinal(id, range.Until) <= 0), 1, ShardSize));
        Assert.All(fromPublish.Concat(fromShards), shard =>
        {
            Assert.Equal(publish.MessageId, shard["messageId"]!.GetValue<string>());
            Assert.Equal(publish.Topic, shard["topic"]!.GetValue<string>());
            Assert.Equal("event", shard["payload"]!["type"]!.GetValue<string>());
        });

        Assert.All(publish.Invocations, invocation => Assert.Empty(invocation.Failed));
        Assert.Equal(closed.Count + 1, publish.Invocations.Count);
        var shards = stack.ConnectionsOf("ShardFunction")!;
        var posted = publish.Audience.Except(publish.Gone).Where(id => Frames(shards, id).Count(frame =>
            frame["type"]?.GetValue<string>() == "event" && frame["topic"]?.GetValue<string>() == publish.Topic && frame["messageId"]?.GetValue<string>() == publish.MessageId) != 1).ToList();
        Assert.True(posted.Count == 0, $"{posted.Count} subscribers did not get the event exactly once, {string.Join(", ", posted.Take(5))} among them.");
        Assert.DoesNotContain(stack.ConnectionsOf("PublishFunction")!.Calls, call => call.ConnectionId.StartsWith(publish.Prefix, StringComparison.Ordinal));
        foreach (var gone in publish.Gone) Assert.Equal(0, await Audience.ItemsOfAsync(stack.DynamoDb, gone));

        var transformed = await GrantedPermissions.TransformAsync(stack.Artifacts.TemplatePath, PackagedStack.Parameters);
        AssertNeedsExactlyWhatIsGranted(transformed, "PublishFunction");
        AssertNeedsExactlyWhatIsGranted(transformed, "ShardFunction");
    }

    /// <summary>The largest audience a function serves itself (FanOutOptions.DirectAudience; not configurable).</summary>
    private const int DirectAudience = 500;

    /// <summary>Connections per shard, and shards per split (FanOutOptions.ShardSize and SplitWidth).</summary>
    private const int ShardSize = 1000;
    private const int ShardsPerSplit = 10;

    private sealed record LargePublishRun(
        string Topic, string MessageId, string Prefix, IReadOnlyList<string> Audience, IReadOnlyList<string> Gone,
        IReadOnlyList<SqsMessage> Shards, IReadOnlyList<PolledBatch> Invocations);

    /// <summary>
    /// Once per stack, for the tests that need it (it posts ten thousand times at the default FanOutRate share): a
    /// publish to 10,050 subscribers, a few of them gone (spread over the shards), run through the publish function and
    /// then the shard queue; and a publish to a topic of two, one gone, which the publish function delivers itself.
    /// </summary>
    private Task<LargePublishRun> LargePublishAsync() => stack.OnceAsync("large-publish", async () =>
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var prefix = $"crowd-{run}-";
        var topic = $"wishlist:crowd-{run}";
        var audience = Enumerable.Range(0, ShardsPerSplit * ShardSize + 50).Select(i => $"{prefix}{i:D5}").ToList();
        var gone = audience.Where((_, i) => i % ShardSize == 7).ToList();
        var shards = stack.ConnectionsOf("ShardFunction")!;
        foreach (var id in audience.Except(gone)) shards.Connect(id);
        await Audience.SubscribeAsync(stack.DynamoDb, topic, audience);

        // A small audience first: the publish function posts to it itself, and cleans up after the gone member.
        var few = $"wishlist:few-{run}";
        string fewLive = $"few-{run}-live", fewGone = $"few-{run}-gone";
        stack.ConnectionsOf("PublishFunction")!.Connect(fewLive);
        await Audience.SubscribeAsync(stack.DynamoDb, few, [fewLive, fewGone]);
        var direct = await stack["PublishFunction"].InvokeAsync(LambdaEvents.Sqs($$$"""{"topic":"{{{few}}}","event":"price_dropped","data":{"sku":"7"}}"""));
        Assert.False(direct.IsError, direct.ToString());
        Assert.Empty(direct.Json["batchItemFailures"]!.AsArray());
        Assert.Single(Frames(stack.ConnectionsOf("PublishFunction")!, fewLive), frame => frame["type"]?.GetValue<string>() == "event" && frame["topic"]?.GetValue<string>() == few);
        Assert.Equal(0, await Audience.ItemsOfAsync(stack.DynamoDb, fewGone));

        var publishEvent = LambdaEvents.Sqs($$$"""{"topic":"{{{topic}}}","event":"item_added","data":{"sku":"42"}}""");
        var messageId = JsonNode.Parse(publishEvent)!["Records"]![0]!["messageId"]!.GetValue<string>();
        var published = await stack["PublishFunction"].InvokeAsync(publishEvent);
        Assert.False(published.IsError, published.ToString());
        Assert.Empty(published.Json["batchItemFailures"]!.AsArray());

        var invocations = await stack.EventSourceOf("ShardFunction").DrainAsync();
        return new LargePublishRun(topic, messageId, prefix, audience, gone, ShardsOf(messageId), invocations);
    });

    /// <summary>The shards of one message that reached the shard queue, in the order they did.</summary>
    private IReadOnlyList<SqsMessage> ShardsOf(string messageId) =>
        stack.Queues.Sent("ShardQueue").Where(shard => JsonNode.Parse(shard.Body)!["messageId"]?.GetValue<string>() == messageId).ToList();

    /// <summary>
    /// What the function's requests needed so far, as the DynamoDB recorder, the loopback @connections and the SQS
    /// stand-in wrote it down, is exactly what the deployed template grants it.
    /// </summary>
    private void AssertNeedsExactlyWhatIsGranted(JsonObject transformed, string functionId)
    {
        var needed = stack.RecorderOf(functionId).Uses.ToHashSet();
        if (stack.ConnectionsOf(functionId) is { } connections)
        {
            foreach (var method in connections.Calls.Select(call => call.Method).Distinct()) needed.Add(new IamUse("execute-api:ManageConnections", $"{method} @connections"));
        }
        if (stack.SqsOf(functionId) is { } sqs) needed.UnionWith(sqs.Uses);
        var granted = GrantedPermissions.Of(transformed, functionId);
        Assert.True(needed.SetEquals(granted.Inline),
            $"{functionId} needed [{string.Join(", ", needed.Select(use => use.ToString()).Order())}] but is granted [{string.Join(", ", granted.Inline.Select(use => use.ToString()).Order())}].");
    }

    [Fact]
    public async Task Only_the_managed_policies_the_runtime_needs_are_attached()
    {
        var transformed = await GrantedPermissions.TransformAsync(stack.Artifacts.TemplatePath, PackagedStack.Parameters);
        foreach (var functionId in stack.FunctionIds)
        {
            // Logs and X-Ray for every function; the queue's poller permissions for those a queue triggers.
            var expected = new HashSet<string> { "AWSLambdaBasicExecutionRole", "AWSXrayWriteOnlyAccess" };
            if (functionId is "PublishFunction" or "ShardFunction") expected.Add("AWSLambdaSQSQueueExecutionRole");
            Assert.Equal(expected.Order(), GrantedPermissions.Of(transformed, functionId).ManagedPolicies.Order());
        }
    }

    private Task<Realtime.Connect.Contract.ProxyResponse> Route(string connectionId, string user, string routeKey, string body) =>
        stack.InvokeAsync("MessageFunction", ProxyEvents.Message(connectionId, body, user, routeKey));

    private static IReadOnlyList<JsonNode> Frames(Realtime.Testing.Connections.LoopbackConnectionsServer server, string connectionId) =>
        server.MessagesTo(connectionId).Select(bytes => JsonNode.Parse(bytes)!).ToList();
}
