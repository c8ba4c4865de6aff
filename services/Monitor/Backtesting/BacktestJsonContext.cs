using System.Text.Json.Serialization;
using ReputationMonitor.Engine.Backtesting;

namespace ReputationMonitor.Backtesting;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BacktestResult))]
public sealed partial class BacktestJsonContext : JsonSerializerContext;
