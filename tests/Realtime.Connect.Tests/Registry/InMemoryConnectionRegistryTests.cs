using Realtime.Connect.Registry;

namespace Realtime.Connect.Tests.Registry;

public sealed class InMemoryConnectionRegistryTests : ConnectionRegistrySpecification
{
    protected override Task<IConnectionRegistry> CreateRegistryAsync() =>
        Task.FromResult<IConnectionRegistry>(new InMemoryConnectionRegistry(Options, Time));
}
