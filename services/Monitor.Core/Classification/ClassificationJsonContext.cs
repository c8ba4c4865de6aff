using System.Text.Json.Serialization;

namespace ReputationMonitor.Core.Classification;

internal sealed class SmtpRulesFile
{
    public List<SmtpRuleEntry> Rules { get; set; } = [];
    public Dictionary<string, string> EnhancedStatus { get; set; } = [];
    public Dictionary<string, string> ReplyCodes { get; set; } = [];
}

internal sealed class SmtpRuleEntry
{
    public required string Id { get; set; }
    public required string Pattern { get; set; }
    public required string Class { get; set; }
    public string? Provider { get; set; }
    public required string Explanation { get; set; }
}

internal sealed class ProvidersFile
{
    public Dictionary<string, string> Domains { get; set; } = [];
    public Dictionary<string, string> Families { get; set; } = [];
    public List<ProviderSignature> Signatures { get; set; } = [];
}

internal sealed class ProviderSignature
{
    public required string Pattern { get; set; }
    public required string Provider { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip)]
[JsonSerializable(typeof(SmtpRulesFile))]
[JsonSerializable(typeof(ProvidersFile))]
internal sealed partial class ClassificationJsonContext : JsonSerializerContext;
