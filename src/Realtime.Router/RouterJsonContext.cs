using System.Text.Json.Serialization;
using Realtime.Router.Policy;
using Realtime.Router.Publishing;

namespace Realtime.Router;

/// <summary>Source-generated JSON for what Router reads: the topic policy, publish requests and SQS events.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(List<TopicRule>))]
[JsonSerializable(typeof(PublishRequest))]
[JsonSerializable(typeof(SqsEvent))]
[JsonSerializable(typeof(SqsBatchResponse))]
public sealed partial class RouterJsonContext : JsonSerializerContext;
