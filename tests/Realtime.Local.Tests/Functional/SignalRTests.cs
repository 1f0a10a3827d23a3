using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using Realtime.Local.SignalR;
using Realtime.Local.Tests.Infrastructure;

namespace Realtime.Local.Tests.Functional;

/// <summary>The SignalR hub shares the gateway with the raw endpoint: same $connect, routes, @connections and $disconnect.</summary>
public sealed class SignalRTests(GatewayTemplateFixture fixture) : IClassFixture<GatewayTemplateFixture>
{
    private sealed class Client : IAsyncDisposable
    {
        public required HubConnection Connection { get; init; }
        public Channel<string> Messages { get; } = Channel.CreateUnbounded<string>();
        public TaskCompletionSource<Exception?> Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<string> NextMessageAsync() => Messages.Reader.ReadAsync().AsTask().DefaultTimeout();

        public ValueTask DisposeAsync() => Connection.DisposeAsync();
    }

    private Client Create(string query)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(fixture.Gateway.HubUri + "?" + query))
            .Build();
        var client = new Client { Connection = connection };
        connection.On<string>(SignalRConnection.ClientMethod, text => client.Messages.Writer.TryWrite(text));
        connection.Closed += error =>
        {
            client.Closed.TrySetResult(error);
            return Task.CompletedTask;
        };
        return client;
    }

    private async Task<(Client Client, string ConnectionId)> StartAsync(string marker)
    {
        var client = Create($"marker={marker}");
        await client.Connection.StartAsync().DefaultTimeout();
        return (client, (await fixture.ConnectEventAsync(marker)).ConnectionId!);
    }

    [Fact]
    public async Task Connecting_runs_connect_with_the_query_string_of_the_connect_request()
    {
        var (client, _) = await StartAsync("signalr-connect");
        await using var _ = client;

        var connect = await fixture.ConnectEventAsync("signalr-connect");
        var query = connect.Root.GetProperty("queryStringParameters");
        Assert.Equal(["marker"], query.EnumerateObject().Select(p => p.Name));
        Assert.Equal("$connect", connect.RouteKey);
    }

    [Fact]
    public async Task Send_goes_through_route_selection_and_posts_come_back_as_message()
    {
        var (client, id) = await StartAsync("signalr-send");
        await using var __ = client;

        await client.Connection.InvokeAsync("Send", """{"action":"ping","reply":"pong"}""").DefaultTimeout();

        Assert.Equal("pong", await client.NextMessageAsync());
        var message = await fixture.Recorder.WaitAsync(id, "MESSAGE").DefaultTimeout();
        Assert.Equal("ping", message.RouteKey);
        Assert.False(message.Root.TryGetProperty("headers", out _));
    }

    [Fact]
    public async Task A_post_over_http_reaches_a_signalr_connection()
    {
        var (client, id) = await StartAsync("signalr-http-post");
        await using var _ = client;
        using var http = new HttpClient();

        using var response = await http.PostAsync(ConnectionsApi.Url(fixture.Gateway, id), new StringContent("from the backend")).DefaultTimeout();

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("from the backend", await client.NextMessageAsync());
    }

    [Fact]
    public async Task Error_frames_arrive_as_messages()
    {
        var (client, id) = await StartAsync("signalr-error");
        await using var _ = client;

        await client.Connection.InvokeAsync("Send", """{"action":"throw"}""").DefaultTimeout();

        Assert.StartsWith($$"""{"message": "Internal server error", "connectionId":"{{id}}", "requestId":""", await client.NextMessageAsync());
    }

    [Fact]
    public async Task A_two_way_route_answers_with_a_message()
    {
        var (client, _) = await StartAsync("signalr-two-way");
        await using var __ = client;

        await client.Connection.InvokeAsync("Send", """{"action":"echo"}""").DefaultTimeout();

        Assert.Equal("""echo:{"action":"echo"}""", await client.NextMessageAsync());
    }

    [Fact]
    public async Task A_rejected_connect_closes_the_connection_with_the_status()
    {
        await using var client = Create("status=403&marker=signalr-rejected");

        Exception? error;
        try
        {
            await client.Connection.StartAsync().DefaultTimeout();
            error = await client.Closed.Task.DefaultTimeout();
        }
        catch (Exception e) when (e is not TimeoutException)
        {
            error = e;
        }

        Assert.NotNull(error);
        Assert.Contains(GatewayHub.RejectionMessage(403), error.Message);
    }

    [Fact]
    public async Task Stopping_runs_disconnect()
    {
        var (client, id) = await StartAsync("signalr-stop");
        await using var _ = client;

        await client.Connection.StopAsync().DefaultTimeout();

        var disconnect = await fixture.Recorder.WaitAsync(id, "DISCONNECT").DefaultTimeout();
        Assert.Equal(1000, disconnect.Context.GetProperty("disconnectStatusCode").GetInt32());
    }

    [Fact]
    public async Task Deleting_a_signalr_connection_closes_it()
    {
        var (client, id) = await StartAsync("signalr-delete");
        await using var _ = client;
        using var http = new HttpClient();

        using var response = await http.DeleteAsync(ConnectionsApi.Url(fixture.Gateway, id)).DefaultTimeout();

        Assert.Equal(204, (int)response.StatusCode);
        await client.Closed.Task.DefaultTimeout();
        var disconnect = await fixture.Recorder.WaitAsync(id, "DISCONNECT").DefaultTimeout();
        Assert.Equal("Connection Closed Normally", disconnect.Context.GetProperty("disconnectReason").GetString());
    }

    [Fact]
    public async Task A_message_over_128_KB_closes_the_connection_with_1009()
    {
        var (client, id) = await StartAsync("signalr-too-big");
        await using var _ = client;

        await client.Connection.SendAsync("Send", new string('x', 128 * 1024 + 1)).DefaultTimeout();

        await client.Closed.Task.DefaultTimeout();
        var disconnect = await fixture.Recorder.WaitAsync(id, "DISCONNECT").DefaultTimeout();
        Assert.Equal(1009, disconnect.Context.GetProperty("disconnectStatusCode").GetInt32());
    }
}

/// <summary>The authorizer guards the hub too: it reads the connect request's query string.</summary>
public sealed class SignalRAuthorizerTests(AuthorizerTemplateFixture fixture) : IClassFixture<AuthorizerTemplateFixture>
{
    [Fact]
    public async Task An_allowed_signalr_client_gets_the_authorizer_context_on_its_events()
    {
        await using var connection = new HubConnectionBuilder().WithUrl(new Uri(fixture.Gateway.HubUri + "?token=allow&marker=signalr-allowed")).Build();
        await connection.StartAsync().DefaultTimeout();
        var id = (await fixture.ConnectEventAsync("signalr-allowed")).ConnectionId!;

        await connection.InvokeAsync("Send", "hello").DefaultTimeout();

        var message = await fixture.Recorder.WaitAsync(id, "MESSAGE").DefaultTimeout();
        Assert.Equal("u1", message.Context.GetProperty("authorizer").GetProperty("userId").GetString());
    }

    [Fact]
    public async Task A_signalr_client_without_a_token_is_rejected_with_401()
    {
        await using var connection = new HubConnectionBuilder().WithUrl(new Uri(fixture.Gateway.HubUri + "?marker=signalr-no-token")).Build();
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += e =>
        {
            closed.TrySetResult(e);
            return Task.CompletedTask;
        };

        Exception? error;
        try
        {
            await connection.StartAsync().DefaultTimeout();
            error = await closed.Task.DefaultTimeout();
        }
        catch (Exception e) when (e is not TimeoutException)
        {
            error = e;
        }

        Assert.Contains(GatewayHub.RejectionMessage(401), error?.Message);
    }
}
