using System.Text.Json.Serialization;

namespace ReputationMonitor.Core.Classification;

internal sealed class SmtpRulesFile
{
    /// <summary>Source id → where the rules citing it come from (a provider page, an RFC, an MTA's source).</summary>
    public Dictionary<string, string> Sources { get; set; } = [];
    public List<SmtpRuleEntry> Rules { get; set; } = [];
    public List<ScopeEntry> Scopes { get; set; } = [];
    public Dictionary<string, string> EnhancedStatus { get; set; } = [];
    public string EnhancedStatusSource { get; set; } = "";
    public Dictionary<string, string> ReplyCodes { get; set; } = [];
    public string ReplyCodeSource { get; set; } = "";
}

internal sealed class SmtpRuleEntry
{
    public required string Id { get; set; }
    public required string Step { get; set; }
    public required string Pattern { get; set; }
    public required string Class { get; set; }
    public string? Provider { get; set; }
    public string? Scope { get; set; }
    public required string Explanation { get; set; }
    public required string Source { get; set; }
}

internal sealed class ScopeEntry
{
    public required string Scope { get; set; }
    public required string Pattern { get; set; }
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
    public string? Source { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip)]
[JsonSerializable(typeof(SmtpRulesFile))]
[JsonSerializable(typeof(ProvidersFile))]
internal sealed partial class ClassificationJsonContext : JsonSerializerContext;
