using Microsoft.Extensions.DependencyInjection;
using Realtime.Connect.Hosting;
using Realtime.Router.Functions;
using Realtime.Router.Publishing;
using Realtime.Router.Routes;

namespace Realtime.Router.Tests.Functions;

/// <summary>What Lambda's parameterless constructors build from environment variables, checked without Lambda.</summary>
public sealed class RouterFunctionServicesTests
{
    [Fact]
    public void TheLambdaCompositionResolvesEveryRouteAndThePublisher()
    {
        var services = RouterFunctionServices.ForMessages(new FunctionEnvironment(name => name switch
        {
            "REALTIME_TABLE" => "connections",
            "AWS_REGION" => "eu-west-1",
            "REALTIME_CONNECTIONS_ENDPOINT" => "https://abcde12345.execute-api.eu-west-1.amazonaws.com/prod",
            "REALTIME_SHARD_QUEUE_URL" => "https://sqs.eu-west-1.amazonaws.com/123456789012/shards",
            _ => null,
        }));

        Assert.Equal(["$default", "ping", "send", "subscribe", "unsubscribe", "who"], services.GetRequiredService<MessageRouter>().RouteKeys.Order(StringComparer.Ordinal));
        Assert.NotNull(services.GetRequiredService<Publisher>());
    }

    [Fact]
    public void ABadTopicPolicyStopsTheFunctionAtStartUp()
    {
        var error = Assert.Throws<FormatException>(() => RouterFunctionServices.ForMessages(new FunctionEnvironment(name => name switch
        {
            "REALTIME_TABLE" => "connections",
            "AWS_REGION" => "eu-west-1",
            "REALTIME_CONNECTIONS_ENDPOINT" => "https://abcde12345.execute-api.eu-west-1.amazonaws.com/prod",
            "REALTIME_SHARD_QUEUE_URL" => "https://sqs.eu-west-1.amazonaws.com/123456789012/shards",
            "REALTIME_TOPIC_POLICY" => "[{\"pattern\":\"room:{user}\"}]",
            _ => null,
        })));

        Assert.Contains("placeholder", error.Message);
    }

    [Fact]
    public void WithoutAConfiguredConnectionsEndpointTheFunctionDoesNotStart()
    {
        // Never the event's domain name: an endpoint must be configured before anything is signed and sent.
        var error = Assert.Throws<FunctionConfigurationException>(() => RouterFunctionServices.ForMessages(new FunctionEnvironment(name => name switch
        {
            "REALTIME_TABLE" => "connections",
            "AWS_REGION" => "eu-west-1",
            _ => null,
        }, Stream.Null)));

        Assert.Equal("REALTIME_CONNECTIONS_ENDPOINT", error.Variable);
    }

    [Fact]
    public void ABadConnectionsEndpointStopsTheFunctionAtStartUp()
    {
        var error = Assert.Throws<FormatException>(() => RouterFunctionServices.ForMessages(new FunctionEnvironment(name => name switch
        {
            "REALTIME_TABLE" => "connections",
            "AWS_REGION" => "eu-west-1",
            "REALTIME_CONNECTIONS_ENDPOINT" => "not a url",
            _ => null,
        })));

        Assert.Contains("REALTIME_CONNECTIONS_ENDPOINT", error.Message);
    }
}
