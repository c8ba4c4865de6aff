using System.Text.Json.Serialization;
using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Join;
using ReputationMonitor.Core.Model;
using ReputationMonitor.Core.Rules;

namespace ReputationMonitor.Core;

/// <summary>Source-generated JSON for everything the core stores or publishes (no reflection on the hot path).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(NormalizedEvent))]
[JsonSerializable(typeof(MessageLedger))]
[JsonSerializable(typeof(AccountAggregate))]
[JsonSerializable(typeof(Decision))]
[JsonSerializable(typeof(AccountSnapshot))]
[JsonSerializable(typeof(EntitySnapshot))]
[JsonSerializable(typeof(EntityWindows))]
[JsonSerializable(typeof(WindowStats))]
[JsonSerializable(typeof(WindowStatsJson))]
[JsonSerializable(typeof(OperatorCommand))]
[JsonSerializable(typeof(SuppressionChange))]
[JsonSerializable(typeof(DecisionEvidence))]
public sealed partial class CoreJsonContext : JsonSerializerContext;
