using Realtime.Connect.Hosting;

namespace Realtime.Connect.Tests.Functions;

public sealed class FunctionEnvironmentTests
{
    [Fact]
    public void MissingTableNameStopsTheFunctionWithAMessageNamingTheVariable()
    {
        var environment = new FunctionEnvironment(_ => null);

        var error = Assert.Throws<FunctionConfigurationException>(() => environment.CreateRegistry());

        Assert.Equal("REALTIME_TABLE", error.Variable);
        Assert.Contains("REALTIME_TABLE", error.Message);
    }

    [Fact]
    public void EndpointThatIsNotAUrlIsRefused()
    {
        var environment = new FunctionEnvironment(name => name switch
        {
            FunctionEnvironment.Table => "connections",
            FunctionEnvironment.DynamoDbEndpoint => "localhost-8000",
            _ => null,
        });

        var error = Assert.Throws<FunctionConfigurationException>(() => environment.CreateRegistry());

        Assert.Equal("REALTIME_DYNAMODB_ENDPOINT", error.Variable);
        Assert.Contains("REALTIME_DYNAMODB_ENDPOINT", error.Message);
    }

    [Fact]
    public void WithoutARegionOrAnEndpointTheRegionIsRequired()
    {
        var environment = new FunctionEnvironment(name => name == FunctionEnvironment.Table ? "connections" : null, Stream.Null);

        var error = Assert.Throws<FunctionConfigurationException>(() => environment.CreateRegistry());

        Assert.Equal("AWS_REGION", error.Variable);
    }

    [Fact]
    public void ListsAreCommaSeparatedAndTrimmed()
    {
        var environment = new FunctionEnvironment(_ => " realtime.v1 , realtime.v2,, ");

        Assert.Equal(["realtime.v1", "realtime.v2"], environment.List("REALTIME_SUBPROTOCOLS"));
    }
}
