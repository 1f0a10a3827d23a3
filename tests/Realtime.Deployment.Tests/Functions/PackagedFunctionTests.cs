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
    /// Connect, subscribe, chat, who, unsubscribe, publish, a gone member, disconnect: every path of every function
    /// that touches DynamoDB or <c>@connections</c>. The permissions those requests needed, recorded per function,
    /// are then exactly what the SAM-transformed template grants that function: nothing missing, nothing more.
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

        var transformed = await GrantedPermissions.TransformAsync(stack.Artifacts.TemplatePath, PackagedStack.Parameters);
        foreach (var functionId in stack.FunctionIds)
        {
            var needed = stack.RecorderOf(functionId).Uses.ToHashSet();
            if (stack.ConnectionsOf(functionId) is { } connections)
            {
                foreach (var method in connections.Calls.Select(call => call.Method).Distinct()) needed.Add(new IamUse("execute-api:ManageConnections", $"{method} @connections"));
            }
            var granted = GrantedPermissions.Of(transformed, functionId);
            Assert.True(needed.SetEquals(granted.Inline),
                $"{functionId} needed [{string.Join(", ", needed.Select(use => use.ToString()).Order())}] but is granted [{string.Join(", ", granted.Inline.Select(use => use.ToString()).Order())}].");
        }
    }

    [Fact]
    public async Task Only_the_managed_policies_the_runtime_needs_are_attached()
    {
        var transformed = await GrantedPermissions.TransformAsync(stack.Artifacts.TemplatePath, PackagedStack.Parameters);
        foreach (var functionId in stack.FunctionIds)
        {
            // Logs and X-Ray for every function; the queue's poller permissions for the one the queue triggers.
            var expected = new HashSet<string> { "AWSLambdaBasicExecutionRole", "AWSXrayWriteOnlyAccess" };
            if (functionId == "PublishFunction") expected.Add("AWSLambdaSQSQueueExecutionRole");
            Assert.Equal(expected.Order(), GrantedPermissions.Of(transformed, functionId).ManagedPolicies.Order());
        }
    }

    private Task<Realtime.Connect.Contract.ProxyResponse> Route(string connectionId, string user, string routeKey, string body) =>
        stack.InvokeAsync("MessageFunction", ProxyEvents.Message(connectionId, body, user, routeKey));

    private static IReadOnlyList<JsonNode> Frames(Realtime.Testing.Connections.LoopbackConnectionsServer server, string connectionId) =>
        server.MessagesTo(connectionId).Select(bytes => JsonNode.Parse(bytes)!).ToList();
}
