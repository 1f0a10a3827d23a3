using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Realtime.Connect.Hosting;
using Realtime.Connect.Management;
using Realtime.Connect.Registry;
using Realtime.Router.Functions;
using Realtime.Router.Publishing;
using Realtime.Testing;

namespace Realtime.Router.Tests.Publishing;

/// <summary>
/// A publish that cannot finish in time stops before the deadline and reports its unfinished records through
/// <c>batchItemFailures</c>, so SQS delivers them again, instead of the whole batch timing out.
/// </summary>
public sealed class PublishDeadlineTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly StalledConnections _connections = new();

    [Fact]
    public async Task Records_not_finished_by_the_configured_timeout_are_reported_and_the_invocation_answers()
    {
        var function = await PublishFunctionAsync(new FunctionDeadline(TimeSpan.FromSeconds(10), _time));

        var publishing = InvokeAsync(function, "m1", "m2", "m3");
        await _connections.FirstPost.DefaultTimeout();
        // 10 s less a margin of one tenth: the work stops at 9 s, leaving a second to answer.
        _time.Advance(TimeSpan.FromSeconds(8.9));
        Assert.False(publishing.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(0.2));

        Assert.Equal(["m1", "m2", "m3"], await publishing.DefaultTimeout());
    }

    [Fact]
    public async Task The_runtimes_deadline_wins_over_the_configured_timeout()
    {
        var function = await PublishFunctionAsync(new FunctionDeadline(TimeSpan.FromSeconds(29), _time));
        InvocationContext.Current = new InvocationContext("request-1", _time.GetUtcNow().AddSeconds(5), "Root=1-00000000-000000000000000000000000");
        try
        {
            var publishing = InvokeAsync(function, "m1");
            await _connections.FirstPost.DefaultTimeout();
            _time.Advance(TimeSpan.FromSeconds(4.6)); // 5 s less half a second

            Assert.Equal(["m1"], await publishing.DefaultTimeout());
        }
        finally
        {
            InvocationContext.Current = null;
        }
    }

    [Theory]
    [InlineData(29, 26.1)]
    [InlineData(10, 9)]
    [InlineData(3, 2.5)]
    public void The_margin_is_a_tenth_of_the_time_left_between_half_a_second_and_three(int timeoutSeconds, double stopsAfterSeconds)
    {
        using var budget = new FunctionDeadline(TimeSpan.FromSeconds(timeoutSeconds), _time).Start();
        _time.Advance(TimeSpan.FromSeconds(stopsAfterSeconds) - TimeSpan.FromMilliseconds(1));
        Assert.False(budget.IsCancellationRequested);
        _time.Advance(TimeSpan.FromMilliseconds(2));
        Assert.True(budget.IsCancellationRequested);
    }

    [Fact]
    public void A_runtime_deadline_too_far_off_to_mean_anything_cancels_nothing()
    {
        InvocationContext.Current = new InvocationContext("request-1", DateTimeOffset.MaxValue, null);
        try
        {
            using var budget = new FunctionDeadline(null, _time).Start();
            _time.Advance(TimeSpan.FromDays(2));
            Assert.False(budget.IsCancellationRequested);
        }
        finally
        {
            InvocationContext.Current = null;
        }
    }

    [Fact]
    public void Without_a_timeout_or_a_runtime_deadline_nothing_is_cancelled()
    {
        using var budget = FunctionDeadline.None.Start();
        Assert.False(budget.Token.CanBeCanceled && budget.IsCancellationRequested);
    }

    private async Task<PublishFunction> PublishFunctionAsync(FunctionDeadline deadline)
    {
        var registry = new InMemoryConnectionRegistry(new RegistryOptions(), _time);
        foreach (var id in new[] { "a=", "b=" })
        {
            await registry.AddAsync(new Connection(id, "alice", _time.GetUtcNow(), "abcde12345.execute-api.us-east-1.amazonaws.com", "prod", null), CancellationToken.None).DefaultTimeout();
            await registry.SubscribeAsync(id, "wishlist:42", CancellationToken.None).DefaultTimeout();
        }
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<TimeProvider>(_time)
            .AddSingleton<IConnectionRegistry>(registry)
            .AddSingleton<IConnectionsClient>(_connections)
            .AddSingleton(new ConnectionsEndpoints(new Uri("https://abcde12345.execute-api.us-east-1.amazonaws.com/prod")))
            .AddRealtimeRoutes()
            .BuildServiceProvider();
        return new PublishFunction(services.GetRequiredService<Publisher>(), NullLogger<PublishFunction>.Instance, deadline);
    }

    private static async Task<List<string>> InvokeAsync(PublishFunction function, params string[] ids)
    {
        var input = new { Records = ids.Select(id => new { messageId = id, body = """{"topic":"wishlist:42","event":"item_added"}""", eventSource = "aws:sqs" }) };
        var output = await function.FunctionHandler(new MemoryStream(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(input))));
        using var response = await JsonDocument.ParseAsync(output);
        return response.RootElement.GetProperty("batchItemFailures").EnumerateArray().Select(f => f.GetProperty("itemIdentifier").GetString()!).ToList();
    }

    /// <summary>An @connections whose posts never answer: only the caller's cancellation ends them.</summary>
    private sealed class StalledConnections : IConnectionsClient
    {
        private readonly TaskCompletionSource _firstPost = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task FirstPost => _firstPost.Task;

        public async ValueTask<ConnectionsResult> PostAsync(ConnectionTarget target, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        {
            _firstPost.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }

        public ValueTask<ConnectionsResult<ConnectionInfo>> GetAsync(ConnectionTarget target, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<ConnectionsResult> DeleteAsync(ConnectionTarget target, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
