namespace Realtime.Connect.Registry.DynamoDb;

/// <summary>Where the DynamoDB registry keeps its items: the table <c>serverless.template</c> declares.</summary>
public sealed record DynamoDbRegistryOptions
{
    public required string TableName { get; init; }

    /// <summary>The global secondary index keyed by user and by topic.</summary>
    public string IndexName { get; init; } = "GSI1";

    /// <summary>How many times a BatchWriteItem is sent while DynamoDB leaves items unprocessed.</summary>
    public int MaxBatchAttempts { get; init; } = 8;
}
