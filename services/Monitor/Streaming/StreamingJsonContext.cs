using System.Text.Json.Serialization;

namespace ReputationMonitor.Streaming;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StreamInput))]
internal sealed partial class StreamingJsonContext : JsonSerializerContext;
