using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Realtime.Connect.Management;

namespace Realtime.Connect.Tests.Management;

public class ConnectionsClientRegistrationTests
{
    [Fact]
    public void Registers_one_client_for_the_interface_and_the_class()
    {
        using var provider = new ServiceCollection().AddLogging().AddConnectionsClient(o => o.MaxRetryAttempts = 1).BuildServiceProvider();

        var client = provider.GetRequiredService<ConnectionsClient>();

        Assert.Same(client, provider.GetRequiredService<IConnectionsClient>());
        Assert.Equal(1, provider.GetRequiredService<IOptions<ConnectionsClientOptions>>().Value.MaxRetryAttempts);
    }

    [Fact]
    public void Invalid_options_are_refused_when_resolved()
    {
        using var provider = new ServiceCollection().AddConnectionsClient(o => o.TotalTimeout = TimeSpan.Zero).BuildServiceProvider();

        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IConnectionsClient>());
    }
}
