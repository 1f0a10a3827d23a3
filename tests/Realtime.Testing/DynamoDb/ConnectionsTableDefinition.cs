using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Realtime.Testing.DynamoDb;

/// <summary>
/// The connections table exactly as <c>serverless.template</c> declares it (resource <c>ConnectionsTable</c>), so the
/// tests and the deployment can never disagree about keys, the index or its projection.
/// </summary>
public sealed record ConnectionsTableDefinition(
    IReadOnlyList<AttributeDefinition> Attributes,
    IReadOnlyList<KeySchemaElement> KeySchema,
    IReadOnlyList<GlobalSecondaryIndex> Indexes,
    string? TimeToLiveAttribute)
{
    public static ConnectionsTableDefinition FromTemplate(string? templatePath = null)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(templatePath ?? RepositoryFiles.Template));
        var properties = document.RootElement.GetProperty("Resources").GetProperty("ConnectionsTable").GetProperty("Properties");

        var attributes = properties.GetProperty("AttributeDefinitions").EnumerateArray()
            .Select(a => new AttributeDefinition(a.GetProperty("AttributeName").GetString(), new ScalarAttributeType(a.GetProperty("AttributeType").GetString())))
            .ToList();
        var indexes = properties.TryGetProperty("GlobalSecondaryIndexes", out var gsis)
            ? gsis.EnumerateArray().Select(g => new GlobalSecondaryIndex
            {
                IndexName = g.GetProperty("IndexName").GetString(),
                KeySchema = KeySchemaOf(g),
                Projection = new Projection { ProjectionType = new ProjectionType(g.GetProperty("Projection").GetProperty("ProjectionType").GetString()) },
            }).ToList()
            : [];
        var ttl = properties.TryGetProperty("TimeToLiveSpecification", out var spec) ? spec.GetProperty("AttributeName").GetString() : null;
        return new ConnectionsTableDefinition(attributes, KeySchemaOf(properties), indexes, ttl);
    }

    public CreateTableRequest ToCreateTableRequest(string tableName) => new()
    {
        TableName = tableName,
        BillingMode = BillingMode.PAY_PER_REQUEST,
        AttributeDefinitions = [.. Attributes],
        KeySchema = [.. KeySchema],
        GlobalSecondaryIndexes = Indexes.Count > 0 ? [.. Indexes] : null,
    };

    private static List<KeySchemaElement> KeySchemaOf(JsonElement owner) =>
        owner.GetProperty("KeySchema").EnumerateArray()
            .Select(k => new KeySchemaElement(k.GetProperty("AttributeName").GetString(), new KeyType(k.GetProperty("KeyType").GetString())))
            .ToList();
}
