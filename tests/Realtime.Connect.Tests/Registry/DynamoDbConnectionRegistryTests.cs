using Realtime.Connect.Registry;
using Realtime.Connect.Registry.DynamoDb;
using Realtime.Testing.DynamoDb;

namespace Realtime.Connect.Tests.Registry;

/// <summary>The specification against DynamoDB Local, on the table that serverless.template declares.</summary>
public sealed class DynamoDbConnectionRegistryTests : ConnectionRegistrySpecification
{
    protected override async Task<IConnectionRegistry> CreateRegistryAsync()
    {
        var dynamo = await DynamoDbLocal.GetSharedAsync();
        return new DynamoDbConnectionRegistry(dynamo.CreateClient(), new DynamoDbRegistryOptions { TableName = dynamo.TableName }, Options, Time);
    }
}
