using Realtime.Connect.Registry;
using Realtime.Connect.Registry.DynamoDb;
using Realtime.Testing;
using Realtime.Testing.DynamoDb;

namespace Realtime.Router.Tests.FanOut;

/// <summary>The fan-out specification on the DynamoDB registry, against DynamoDB Local.</summary>
public class DynamoDbFanOutTests : FanOutSpecification
{
    protected override async Task<IConnectionRegistry> CreateRegistryAsync()
    {
        var dynamo = await DynamoDbLocal.GetSharedAsync().DefaultTimeout(TimeSpan.FromMinutes(8));
        return new DynamoDbConnectionRegistry(dynamo.CreateClient(), new DynamoDbRegistryOptions { TableName = dynamo.TableName }, new RegistryOptions(), TimeProvider.System);
    }

    protected override async Task<IDeliveryLedger> CreateLedgerAsync(TimeProvider time)
    {
        var dynamo = await DynamoDbLocal.GetSharedAsync().DefaultTimeout(TimeSpan.FromMinutes(8));
        return new DynamoDbDeliveryLedger(dynamo.CreateClient(), dynamo.TableName, time);
    }
}
