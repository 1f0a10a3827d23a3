using Realtime.Connect.Functions;
using Realtime.Connect.Registry;
using Realtime.Testing;
using Realtime.Testing.Functions;

namespace Realtime.Connect.Tests.Functions;

public sealed class DisconnectFunctionTests : IDisposable
{
    private readonly InMemoryConnectionRegistry _registry = new();
    private readonly CapturedLog _log = new();

    [Fact]
    public async Task RemovesTheConnectionAndItsSubscriptions()
    {
        await new ConnectFunction(_registry).FunctionHandler(ProxyEvents.ToStream(ProxyEvents.Connect("a=", "alice"))).DefaultTimeout();
        await _registry.SubscribeAsync("a=", "room:lobby", CancellationToken.None).DefaultTimeout();
        var function = new DisconnectFunction(_registry, _log.For<DisconnectFunction>());

        var response = await ProxyEvents.InvokeAsync(function.FunctionHandler, ProxyEvents.Disconnect("a=", 1001, "Going away"));

        Assert.Equal(200, response.StatusCode);
        Assert.Null(await _registry.GetAsync("a=", CancellationToken.None).DefaultTimeout());
        Assert.Empty((await _registry.ListTopicAsync("room:lobby", PageRequest.First(), CancellationToken.None).DefaultTimeout()).Items);
    }

    [Fact]
    public async Task LogsTheCloseCodeAndReason()
    {
        await _registry.AddAsync(new Connection("b=", null, DateTimeOffset.UtcNow, "d", "s", null), CancellationToken.None).DefaultTimeout();
        var function = new DisconnectFunction(_registry, _log.For<DisconnectFunction>());

        await ProxyEvents.InvokeAsync(function.FunctionHandler, ProxyEvents.Disconnect("b=", 1000, "Connection Closed Normally"));

        var line = _log.Single("Disconnected");
        Assert.Equal(1000, line.GetProperty("CloseCode").GetInt32());
        Assert.Equal("Connection Closed Normally", line.GetProperty("CloseReason").GetString());
        Assert.True(line.GetProperty("Removed").GetBoolean());
    }

    [Fact]
    public async Task RepeatedOrUnknownDisconnectSucceeds()
    {
        var function = new DisconnectFunction(_registry, _log.For<DisconnectFunction>());

        var first = await ProxyEvents.InvokeAsync(function.FunctionHandler, ProxyEvents.Disconnect("never-seen="));
        var second = await ProxyEvents.InvokeAsync(function.FunctionHandler, ProxyEvents.Disconnect("never-seen="));

        Assert.Equal(200, first.StatusCode);
        Assert.Equal(200, second.StatusCode);
        Assert.All(_log.Lines, line => Assert.False(line.GetProperty("Removed").GetBoolean()));
    }

    [Fact]
    public async Task MalformedEventIsA400()
    {
        var function = new DisconnectFunction(_registry, _log.For<DisconnectFunction>());

        var response = await ProxyEvents.InvokeAsync(function.FunctionHandler, "{");

        Assert.Equal(400, response.StatusCode);
        _log.Single("MalformedEvent");
    }

    public void Dispose() => _log.Dispose();
}
