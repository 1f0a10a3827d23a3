using System.Net;
using System.Net.Sockets;
using System.Text;
using Amazon.Runtime;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Realtime.Connect.Management;
using Realtime.Testing;
using Realtime.Testing.Connections;

namespace Realtime.Connect.Tests.Management;

/// <summary>The client against a real loopback @connections server that checks every signature.</summary>
public class ConnectionsClientTests : IAsyncLifetime
{
    private readonly BackoffSkippingTimeProvider _time = new();
    private LoopbackConnectionsServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await LoopbackConnectionsServer.StartAsync(new LoopbackConnectionsServer.Options(Clock: _time)).DefaultTimeout();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Post_delivers_the_body_once_to_a_live_connection()
    {
        _server.Connect("QrStUvWxYzAbCdE=");

        var result = await Client().PostAsync(Target("QrStUvWxYzAbCdE="), Body("hello"), CancellationToken.None).DefaultTimeout();

        Assert.Equal(new ConnectionsResult(ConnectionsStatus.Ok, 200, 1), result);
        Assert.Equal(["hello"], _server.MessagesTo("QrStUvWxYzAbCdE=").Select(Encoding.UTF8.GetString));
    }

    [Fact]
    public async Task Wire_path_is_encoded_once()
    {
        _server.Connect("QrStUvWxYzAbCdE=");

        await Client().PostAsync(Target("QrStUvWxYzAbCdE="), Body("hello"), CancellationToken.None).DefaultTimeout();

        Assert.Equal("/local/%40connections/QrStUvWxYzAbCdE%3D", Assert.Single(_server.Calls).RawTarget);
    }

    [Fact]
    public async Task Local_endpoint_needs_no_AWS_credentials_and_gets_an_execute_api_signature()
    {
        _server.Connect("QrStUvWxYzAbCdE=");

        var result = await Client().PostAsync(Target("QrStUvWxYzAbCdE="), Body("hello"), CancellationToken.None).DefaultTimeout();

        Assert.True(result.IsOk);
        var authorization = SigV4Reference.Authorization.Parse(Assert.Single(_server.Calls).Authorization);
        Assert.NotNull(authorization);
        Assert.Equal((ConnectionsClientOptions.LocalAccessKey, "execute-api"), (authorization.AccessKey, authorization.Service));
    }

    [Fact]
    public async Task Session_credentials_are_signed_with_their_token()
    {
        await using var server = await LoopbackConnectionsServer.StartAsync(new LoopbackConnectionsServer.Options(Secrets: new Dictionary<string, string> { ["ASIAEXAMPLE"] = "secret" })).DefaultTimeout();
        server.Connect("QrStUvWxYzAbCdE=");
        var client = Client(o => o.Credentials = new SessionAWSCredentials("ASIAEXAMPLE", "secret", "session-token"));

        var result = await client.PostAsync(new ConnectionTarget(server.Endpoint, "QrStUvWxYzAbCdE="), Body("hello"), CancellationToken.None).DefaultTimeout();

        Assert.True(result.IsOk);
        Assert.Equal("session-token", Assert.Single(server.Calls).SecurityToken);
    }

    [Fact]
    public async Task Custom_domain_without_a_base_path_is_reached()
    {
        await using var server = await LoopbackConnectionsServer.StartAsync(new LoopbackConnectionsServer.Options(BasePath: "")).DefaultTimeout();
        server.Connect("QrStUvWxYzAbCdE=");

        var result = await Client().PostAsync(new ConnectionTarget(server.Endpoint, "QrStUvWxYzAbCdE="), Body("hello"), CancellationToken.None).DefaultTimeout();

        Assert.True(result.IsOk);
        Assert.Equal("/%40connections/QrStUvWxYzAbCdE%3D", Assert.Single(server.Calls).RawTarget);
    }

    [Fact]
    public async Task Get_describes_the_connection()
    {
        var connectedAt = new DateTimeOffset(2024, 1, 20, 11, 54, 57, 419, TimeSpan.Zero);
        _server.Connect("QrStUvWxYzAbCdE=", connectedAt, "198.51.100.7", "Mozilla/5.0");

        var result = await Client().GetAsync(Target("QrStUvWxYzAbCdE="), CancellationToken.None).DefaultTimeout();

        Assert.Equal(ConnectionsStatus.Ok, result.Status);
        Assert.Equal(new ConnectionInfo(connectedAt, connectedAt, "198.51.100.7", "Mozilla/5.0"), result.Value);
    }

    [Fact]
    public async Task Delete_closes_the_connection_and_later_posts_find_it_gone()
    {
        _server.Connect("QrStUvWxYzAbCdE=");
        var client = Client();

        var deleted = await client.DeleteAsync(Target("QrStUvWxYzAbCdE="), CancellationToken.None).DefaultTimeout();
        var posted = await client.PostAsync(Target("QrStUvWxYzAbCdE="), Body("late"), CancellationToken.None).DefaultTimeout();

        Assert.Equal(new ConnectionsResult(ConnectionsStatus.Ok, 204, 1), deleted);
        Assert.Equal(ConnectionsStatus.Gone, posted.Status);
    }

    [Fact]
    public async Task Gone_is_a_result_and_is_never_retried()
    {
        var result = await Client().PostAsync(Target("GoNeGoNeGoNeGoN="), Body("hello"), CancellationToken.None).DefaultTimeout();

        Assert.Equal(new ConnectionsResult(ConnectionsStatus.Gone, 410, 1, "GoneException"), result);
        Assert.Single(_server.CallsFor("GoNeGoNeGoNeGoN="));
    }

    public static TheoryData<string, ConnectionsStatus, int> Final => new()
    {
        { "forbidden", ConnectionsStatus.Forbidden, 403 },
        { "too-large", ConnectionsStatus.PayloadTooLarge, 413 },
        { "bad-request", ConnectionsStatus.Rejected, 400 },
    };

    [Theory]
    [MemberData(nameof(Final))]
    public async Task Refusals_are_never_retried(string answer, ConnectionsStatus status, int httpStatusCode)
    {
        _server.Connect("QrStUvWxYzAbCdE=");
        _server.Script("QrStUvWxYzAbCdE=", answer switch
        {
            "forbidden" => ConnectionsAnswer.Forbidden,
            "too-large" => ConnectionsAnswer.PayloadTooLarge,
            _ => ConnectionsAnswer.Status(400, "BadRequestException", """{"message":"Invalid connectionId"}"""),
        });

        var result = await Client().PostAsync(Target("QrStUvWxYzAbCdE="), Body("hello"), CancellationToken.None).DefaultTimeout();

        Assert.Equal((status, httpStatusCode, 1), (result.Status, result.HttpStatusCode, result.Attempts));
        Assert.Single(_server.CallsFor("QrStUvWxYzAbCdE="));
    }

    [Fact]
    public async Task Throttled_then_accepted_is_delivered_on_the_retry()
    {
        _server.Connect("QrStUvWxYzAbCdE=");
        _server.Script("QrStUvWxYzAbCdE=", ConnectionsAnswer.Throttled);

        var result = await Client().PostAsync(Target("QrStUvWxYzAbCdE="), Body("hello"), CancellationToken.None).DefaultTimeout();

        // The 429 is counted: fan-out paces itself by it.
        Assert.Equal(new ConnectionsResult(ConnectionsStatus.Ok, 200, 2, Throttles: 1), result);
        Assert.Equal([429, 200], _server.CallsFor("QrStUvWxYzAbCdE=").Select(c => c.AnsweredStatus));
        Assert.Single(_server.MessagesTo("QrStUvWxYzAbCdE="));
    }

    [Fact]
    public async Task Server_errors_are_retried_until_the_attempts_run_out()
    {
        _server.Connect("QrStUvWxYzAbCdE=");
        _server.Script("QrStUvWxYzAbCdE=", Enumerable.Repeat(ConnectionsAnswer.InternalError, 10).ToArray());

        var result = await Client(o => o.MaxRetryAttempts = 3).PostAsync(Target("QrStUvWxYzAbCdE="), Body("hello"), CancellationToken.None).DefaultTimeout();

        Assert.Equal(new ConnectionsResult(ConnectionsStatus.ServerError, 500, 4, "InternalServerErrorException"), result);
        Assert.Equal(4, _server.CallsFor("QrStUvWxYzAbCdE=").Count);
    }

    [Fact]
    public async Task Backoff_grows_exponentially_from_the_base_delay()
    {
        _server.Script("QrStUvWxYzAbCdE=", Enumerable.Repeat(ConnectionsAnswer.Throttled, 4).ToArray());

        await Client(o => o.MaxRetryAttempts = 3).PostAsync(Target("QrStUvWxYzAbCdE="), Body("hello"), CancellationToken.None).DefaultTimeout();

        var start = _server.Calls[0].ReceivedAt;
        // Randomizer 0: each delay is half of 100 ms × 2^n.
        Assert.Equal([0, 50, 150, 350], _server.Calls.Select(c => (c.ReceivedAt - start).TotalMilliseconds));
    }

    [Fact]
    public async Task Every_attempt_is_signed_afresh()
    {
        _server.Connect("QrStUvWxYzAbCdE=");
        _server.Script("QrStUvWxYzAbCdE=", ConnectionsAnswer.Throttled, ConnectionsAnswer.InternalError);

        var result = await Client(o => o.BaseDelay = o.MaxDelay = TimeSpan.FromSeconds(2)).PostAsync(Target("QrStUvWxYzAbCdE="), Body("hello"), CancellationToken.None).DefaultTimeout();

        Assert.Equal(3, result.Attempts);
        var calls = _server.CallsFor("QrStUvWxYzAbCdE=");
        Assert.Equal(3, calls.Select(c => c.AmzDate).Distinct().Count());
        Assert.Equal(3, calls.Select(c => c.Authorization).Distinct().Count());
    }

    [Fact]
    public async Task Hanging_attempts_time_out_and_are_retried()
    {
        _server.Connect("QrStUvWxYzAbCdE=");
        _server.Script("QrStUvWxYzAbCdE=", ConnectionsAnswer.Hang, ConnectionsAnswer.Hang);
        var client = Client(o => (o.MaxRetryAttempts, o.AttemptTimeout) = (1, TimeSpan.FromSeconds(3)));

        var call = client.PostAsync(Target("QrStUvWxYzAbCdE="), Body("hello"), CancellationToken.None).AsTask();
        await WaitForCallsAsync("QrStUvWxYzAbCdE=", 1);
        _time.Fake.Advance(TimeSpan.FromSeconds(3));
        await WaitForCallsAsync("QrStUvWxYzAbCdE=", 2);
        _time.Fake.Advance(TimeSpan.FromSeconds(3));
        var result = await call.DefaultTimeout();

        // Both attempts' outcomes are unknown: a caller learns a retry may have delivered twice.
        Assert.Equal(new ConnectionsResult(ConnectionsStatus.TimedOut, 0, 2, Timeouts: 2), result);
        Assert.Empty(_server.MessagesTo("QrStUvWxYzAbCdE="));
    }

    [Fact]
    public async Task Slow_answer_within_the_attempt_timeout_is_waited_for()
    {
        _server.Connect("QrStUvWxYzAbCdE=");
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Script("QrStUvWxYzAbCdE=", ConnectionsAnswer.After(release.Task));

        var call = Client().PostAsync(Target("QrStUvWxYzAbCdE="), Body("hello"), CancellationToken.None).AsTask();
        await WaitForCallsAsync("QrStUvWxYzAbCdE=", 1);
        _time.Fake.Advance(TimeSpan.FromSeconds(2.9));
        release.SetResult();
        var result = await call.DefaultTimeout();

        Assert.Equal(new ConnectionsResult(ConnectionsStatus.Ok, 200, 1), result);
    }

    [Fact]
    public async Task Reset_connection_is_a_transport_error_and_is_retried()
    {
        _server.Connect("QrStUvWxYzAbCdE=");
        _server.Script("QrStUvWxYzAbCdE=", ConnectionsAnswer.Reset);

        var result = await Client().PostAsync(Target("QrStUvWxYzAbCdE="), Body("hello"), CancellationToken.None).DefaultTimeout();

        Assert.Equal(new ConnectionsResult(ConnectionsStatus.Ok, 200, 2), result);
        Assert.Single(_server.MessagesTo("QrStUvWxYzAbCdE="));
    }

    [Fact]
    public async Task Refused_connection_is_a_transport_error_after_the_retries()
    {
        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();

        var result = await Client(o => o.MaxRetryAttempts = 2)
            .PostAsync(new ConnectionTarget(new Uri($"http://127.0.0.1:{port}/local"), "QrStUvWxYzAbCdE="), Body("hello"), CancellationToken.None)
            .DefaultTimeout();

        Assert.Equal((ConnectionsStatus.TransportError, 0, 3), (result.Status, result.HttpStatusCode, result.Attempts));
    }

    [Fact]
    public async Task No_retry_starts_after_the_total_timeout()
    {
        _server.Script("QrStUvWxYzAbCdE=", Enumerable.Repeat(ConnectionsAnswer.Throttled, 10).ToArray());
        var start = _time.GetUtcNow();

        var result = await Client(o => (o.MaxRetryAttempts, o.TotalTimeout) = (10, TimeSpan.FromMilliseconds(230)))
            .PostAsync(Target("QrStUvWxYzAbCdE="), Body("hello"), CancellationToken.None).DefaultTimeout();

        // Attempts at 0, 50 and 150 ms; the next would start at 350 ms, after the 230 ms budget.
        Assert.Equal(new ConnectionsResult(ConnectionsStatus.Throttled, 429, 3, "LimitExceededException", Throttles: 3), result);
        Assert.All(_server.Calls, c => Assert.True(c.ReceivedAt - start < TimeSpan.FromMilliseconds(230)));
    }

    [Fact]
    public async Task A_given_deadline_ends_the_call_before_the_total_timeout()
    {
        _server.Script("QrStUvWxYzAbCdE=", Enumerable.Repeat(ConnectionsAnswer.Throttled, 10).ToArray());
        var client = Client(o => o.MaxRetryAttempts = 10);

        var result = await client.WithDeadline(_time.GetUtcNow() + TimeSpan.FromMilliseconds(100))
            .PostAsync(Target("QrStUvWxYzAbCdE="), Body("hello"), CancellationToken.None).DefaultTimeout();

        Assert.Equal((ConnectionsStatus.Throttled, 2), (result.Status, result.Attempts));
    }

    [Fact]
    public async Task An_attempt_is_cut_short_at_the_deadline()
    {
        _server.Script("QrStUvWxYzAbCdE=", ConnectionsAnswer.Hang);
        var client = Client(o => o.AttemptTimeout = TimeSpan.FromSeconds(3));

        var call = client.WithDeadline(_time.GetUtcNow() + TimeSpan.FromSeconds(1))
            .PostAsync(Target("QrStUvWxYzAbCdE="), Body("hello"), CancellationToken.None).AsTask();
        await WaitForCallsAsync("QrStUvWxYzAbCdE=", 1);
        _time.Fake.Advance(TimeSpan.FromSeconds(1));
        var result = await call.DefaultTimeout();

        Assert.Equal(new ConnectionsResult(ConnectionsStatus.TimedOut, 0, 1, Timeouts: 1), result);
    }

    [Fact]
    public async Task Payload_over_128_KB_is_refused_without_a_request()
    {
        _server.Connect("QrStUvWxYzAbCdE=");

        var result = await Client().PostAsync(Target("QrStUvWxYzAbCdE="), new byte[128 * 1024 + 1], CancellationToken.None).DefaultTimeout();

        Assert.Equal(new ConnectionsResult(ConnectionsStatus.PayloadTooLarge, 0, 0), result);
        Assert.Empty(_server.Calls);
    }

    [Fact]
    public async Task Payload_of_exactly_128_KB_is_sent()
    {
        _server.Connect("QrStUvWxYzAbCdE=");

        var result = await Client().PostAsync(Target("QrStUvWxYzAbCdE="), new byte[128 * 1024], CancellationToken.None).DefaultTimeout();

        Assert.True(result.IsOk);
    }

    [Fact]
    public async Task Unreadable_connection_description_is_a_server_error()
    {
        _server.Connect("QrStUvWxYzAbCdE=");
        _server.Script("QrStUvWxYzAbCdE=", ConnectionsAnswer.Status(200, null, "<html>"));

        var result = await Client(o => o.MaxRetryAttempts = 0).GetAsync(Target("QrStUvWxYzAbCdE="), CancellationToken.None).DefaultTimeout();

        Assert.Equal((ConnectionsStatus.ServerError, 200), (result.Status, result.Result.HttpStatusCode));
        Assert.Null(result.Value);
    }

    [Fact]
    public async Task Caller_cancellation_throws_rather_than_returning_a_result()
    {
        _server.Script("QrStUvWxYzAbCdE=", ConnectionsAnswer.Hang);
        using var cancellation = new CancellationTokenSource();

        var call = Client().PostAsync(Target("QrStUvWxYzAbCdE="), Body("hello"), cancellation.Token).AsTask();
        await WaitForCallsAsync("QrStUvWxYzAbCdE=", 1);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.DefaultTimeout());
    }

    [Fact]
    public void Options_out_of_range_are_refused()
    {
        var options = new ConnectionsClientOptions { AttemptTimeout = TimeSpan.Zero, MaxRetryAttempts = -1 };

        var error = Assert.Throws<OptionsValidationException>(() => new ConnectionsClient(options, _time, NullLogger.Instance));
        Assert.Equal(2, error.Failures.Count());
    }

    private ConnectionsClient Client(Action<ConnectionsClientOptions>? configure = null)
    {
        var options = new ConnectionsClientOptions { Randomizer = static () => 0 };
        configure?.Invoke(options);
        return new ConnectionsClient(options, _time, NullLogger.Instance);
    }

    private ConnectionTarget Target(string connectionId) => new(_server.Endpoint, connectionId);

    private static ReadOnlyMemory<byte> Body(string text) => Encoding.UTF8.GetBytes(text);

    private async Task WaitForCallsAsync(string connectionId, int count)
    {
        async Task Poll()
        {
            while (_server.CallsFor(connectionId).Count < count) await Task.Delay(5);
        }
        await Poll().DefaultTimeout();
    }
}
