using Realtime.Connect.Contract;
using Realtime.Connect.Management;
using Realtime.Connect.Management.Internal;
using Realtime.Connect.Registry;

namespace Realtime.Connect.Tests.Management;

public class ConnectionsEndpointTests
{
    [Fact]
    public void Event_gives_https_domain_and_stage()
    {
        var context = new WebSocketRequestContext { DomainName = "abcde12345.execute-api.us-east-1.amazonaws.com", Stage = "prod" };

        Assert.Equal(new Uri("https://abcde12345.execute-api.us-east-1.amazonaws.com/prod"), ConnectionsEndpoint.For(context));
    }

    [Fact]
    public void Configured_endpoint_wins_over_the_event()
    {
        var context = new WebSocketRequestContext { DomainName = "ws.example.com", Stage = "prod" };
        var configured = ConnectionsEndpoint.Parse("https://ws.example.com/v1");

        Assert.Equal(new Uri("https://ws.example.com/v1"), ConnectionsEndpoint.For(context, configured));
    }

    [Fact]
    public void Recorded_connection_gives_its_domain_and_stage()
    {
        var connection = new Connection("QrStUvWxYzAbCdE=", "user-1", DateTimeOffset.UnixEpoch, "abcde12345.execute-api.eu-west-1.amazonaws.com", "$default", null);

        Assert.Equal("https://abcde12345.execute-api.eu-west-1.amazonaws.com/$default", ConnectionsEndpoint.For(connection).OriginalString);
    }

    [Theory]
    [InlineData("http://127.0.0.1:4000/local/", "http://127.0.0.1:4000/local")]
    [InlineData(" https://ws.example.com ", "https://ws.example.com/")]
    public void Configured_endpoint_is_normalised(string value, string expected)
    {
        Assert.Equal(new Uri(expected), ConnectionsEndpoint.Parse(value));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Unset_configuration_means_the_event_decides(string? value)
    {
        Assert.Null(ConnectionsEndpoint.Parse(value));
    }

    [Theory]
    [InlineData("ws.example.com/v1")]
    [InlineData("ftp://ws.example.com/v1")]
    public void Configured_endpoint_must_be_absolute_http(string value)
    {
        Assert.Throws<FormatException>(() => ConnectionsEndpoint.Parse(value));
    }

    [Fact]
    public void Event_without_a_domain_is_refused()
    {
        Assert.Throws<ArgumentException>(() => ConnectionsEndpoint.For(new WebSocketRequestContext { Stage = "prod" }));
    }

    [Theory]
    [InlineData("http://127.0.0.1:4000/local", "Ab=", "http://127.0.0.1:4000/local/%40connections/Ab%3D")]
    [InlineData("http://127.0.0.1:4000/local/", "Ab=", "http://127.0.0.1:4000/local/%40connections/Ab%3D")]
    [InlineData("https://ws.example.com", "Ab=", "https://ws.example.com/%40connections/Ab%3D")]
    [InlineData("https://ws.example.com/a/b", "x y", "https://ws.example.com/a/b/%40connections/x%20y")]
    public void Connection_uri_is_the_endpoint_plus_the_encoded_connection(string endpoint, string connectionId, string expected)
    {
        Assert.Equal(expected, ConnectionsUri.For(new ConnectionTarget(new Uri(endpoint), connectionId)).AbsoluteUri);
    }
}
