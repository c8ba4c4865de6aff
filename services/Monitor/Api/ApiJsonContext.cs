using System.Text.Json.Serialization;
using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Rules;
using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Api;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(Dictionary<string, long>))]
[JsonSerializable(typeof(Dictionary<string, double>))]
[JsonSerializable(typeof(List<ProviderCounts>))]
[JsonSerializable(typeof(RateThresholds))]
[JsonSerializable(typeof(Forecast))]
[JsonSerializable(typeof(KeyUseDetail))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
