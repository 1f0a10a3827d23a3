using Realtime.Connect.Contract;
using Realtime.Connect.Management;
using Realtime.Connect.Registry;

namespace Realtime.Connect.Tests.Management;

public sealed class ConnectionsEndpointsTests
{
    private static readonly ConnectionsEndpoints Endpoints =
        ConnectionsEndpoints.Parse("https://abcde12345.execute-api.us-east-1.amazonaws.com/prod, https://ws.example.com/v1/");

    [Theory]
    [InlineData("abcde12345.execute-api.us-east-1.amazonaws.com", "https://abcde12345.execute-api.us-east-1.amazonaws.com/prod")]
    [InlineData("WS.EXAMPLE.COM", "https://ws.example.com/v1")]
    [InlineData(null, "https://abcde12345.execute-api.us-east-1.amazonaws.com/prod")]
    public void An_events_domain_selects_among_the_configured_endpoints(string? domainName, string expected)
    {
        Assert.Equal(new Uri(expected), Endpoints.For(new WebSocketRequestContext { DomainName = domainName, Stage = "prod" }));
    }

    [Theory]
    [InlineData("attacker.example")]
    [InlineData("abcde12345.execute-api.us-east-1.amazonaws.com@attacker.example")]
    [InlineData("abcde12345.execute-api.us-east-1.amazonaws.com.attacker.example")]
    [InlineData("attacker.example/prod#")]
    public void A_domain_matching_no_configured_endpoint_never_becomes_a_host_requests_go_to(string forged)
    {
        var fromEvent = Endpoints.For(new WebSocketRequestContext { DomainName = forged, Stage = "prod" });
        var fromRecord = Endpoints.For(new Connection("a=", null, DateTimeOffset.UtcNow, forged, "prod", null));

        Assert.Equal("abcde12345.execute-api.us-east-1.amazonaws.com", fromEvent.Host);
        Assert.Equal(fromEvent, fromRecord);
    }

    [Theory]
    [InlineData("https://ws.example.com/v1/", "https://ws.example.com/v1")]
    [InlineData("http://127.0.0.1:4000/local", "http://127.0.0.1:4000/local")]
    public void A_configured_endpoint_loses_its_trailing_slash(string value, string expected)
    {
        Assert.Equal(new Uri(expected), ConnectionsEndpoints.Parse(value).Default);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" , ")]
    [InlineData("ws.example.com/prod")]
    [InlineData("ftp://ws.example.com/prod")]
    [InlineData("https://user:secret@ws.example.com/prod")]
    [InlineData("https://ws.example.com/prod?x=1")]
    public void A_malformed_configuration_is_refused_naming_the_variable(string value)
    {
        var error = Assert.Throws<FormatException>(() => ConnectionsEndpoints.Parse(value));
        Assert.Contains(ConnectionsEndpoints.EnvironmentVariable, error.Message);
    }
}
