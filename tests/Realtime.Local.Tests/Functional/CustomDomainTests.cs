using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Realtime.Connect.Management;
using Realtime.Local.Hosting;
using Realtime.Local.Tests.Infrastructure;

namespace Realtime.Local.Tests.Functional;

public sealed class CustomDomainFixture : GatewayFixture
{
    protected override string Template => "gateway.json";

    protected override void Configure(LocalGatewayOptions options) => options.ConnectionsBasePath = "chat/v1";
}

/// <summary>
/// @connections behind a custom domain's API mapping: served under its base path, not the stage; any other path
/// before <c>/@connections</c> is API Gateway's 403 <c>{"message":"Forbidden"}</c>.
/// </summary>
public sealed class CustomDomainTests(CustomDomainFixture fixture) : IClassFixture<CustomDomainFixture>
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task Connections_are_served_under_the_base_path()
    {
        using var socket = await fixture.ConnectAsync("marker=custom-domain");
        var id = (await fixture.ConnectEventAsync("custom-domain")).ConnectionId!;
        var client = new ConnectionsClient(new ConnectionsClientOptions(), TimeProvider.System, NullLogger.Instance);

        Assert.Equal(new Uri(fixture.Gateway.BaseUri, "chat/v1"), fixture.Gateway.ManagementEndpoint);
        var result = await client.PostAsync(new ConnectionTarget(fixture.Gateway.ManagementEndpoint, id), "via the base path"u8.ToArray(), CancellationToken.None).DefaultTimeout();

        Assert.Equal(ConnectionsStatus.Ok, result.Status);
        Assert.Equal("via the base path", await socket.ReceiveTextAsync());
    }

    [Theory]
    [InlineData("local/@connections/")]
    [InlineData("@connections/")]
    [InlineData("chat/@connections/")]
    public async Task Another_path_is_forbidden(string path)
    {
        using var socket = await fixture.ConnectAsync("marker=custom-domain-wrong");
        var id = (await fixture.ConnectEventAsync("custom-domain-wrong")).ConnectionId!;

        using var response = await Http.PostAsync(new Uri(fixture.Gateway.BaseUri, path + Uri.EscapeDataString(id)), new StringContent("x")).DefaultTimeout();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("""{"message":"Forbidden"}""", await response.Content.ReadAsStringAsync().DefaultTimeout());
    }
}
