using System.Text.Json.Serialization;
using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Rules;
using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Persistence;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(Dictionary<string, long>))]
[JsonSerializable(typeof(Dictionary<string, double>))]
[JsonSerializable(typeof(List<ProviderCounts>))]
[JsonSerializable(typeof(RateThresholds))]
[JsonSerializable(typeof(Forecast))]
internal sealed partial class PersistenceJsonContext : JsonSerializerContext;
