using System.Text.Json;
using System.Text.RegularExpressions;

namespace ReputationMonitor.Core.Classification;

/// <summary>
/// Classifies SMTP responses (bounce diagnostic codes, delay diagnostics, delivery responses) with
/// rules kept in data (<c>Data/smtp-rules.json</c>), so operators can extend them without a release.
/// Unknown text classifies as <c>unknown</c>; it never throws.
/// </summary>
public sealed partial class SmtpResponseClassifier
{
    private readonly (string Id, Regex Pattern, string Class, string? Provider, string Explanation)[] _rules;
    private readonly Dictionary<string, string> _enhanced;
    private readonly Dictionary<string, string> _replyCodes;

    public static SmtpResponseClassifier Default { get; } = FromJson(EmbeddedData.Read("smtp-rules.json"));

    private SmtpResponseClassifier(
        (string, Regex, string, string?, string)[] rules, Dictionary<string, string> enhanced, Dictionary<string, string> replyCodes)
    {
        _rules = rules;
        _enhanced = enhanced;
        _replyCodes = replyCodes;
    }

    public static SmtpResponseClassifier FromJson(string json)
    {
        var file = JsonSerializer.Deserialize(json, ClassificationJsonContext.Default.SmtpRulesFile)
            ?? throw new InvalidDataException("SMTP rules file is empty");
        var rules = file.Rules.Select(r =>
        {
            if (!SmtpClasses.All.Contains(r.Class))
                throw new InvalidDataException($"SMTP rule '{r.Id}' has unknown class '{r.Class}'");
            return (r.Id, new Regex(r.Pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled,
                TimeSpan.FromMilliseconds(50)), r.Class, r.Provider, r.Explanation);
        }).ToArray();
        foreach (var (code, cls) in file.EnhancedStatus)
            if (!SmtpClasses.All.Contains(cls))
                throw new InvalidDataException($"enhancedStatus '{code}' maps to unknown class '{cls}'");
        return new SmtpResponseClassifier(rules, file.EnhancedStatus, file.ReplyCodes);
    }

    public SmtpClassification Classify(string? response)
    {
        if (string.IsNullOrWhiteSpace(response))
            return new SmtpClassification(SmtpClasses.Unknown, null, null, "No SMTP response was given.", "empty");

        var enhanced = EnhancedStatusPattern().Match(response) is { Success: true } m ? m.Value : null;
        foreach (var rule in _rules)
        {
            try
            {
                if (rule.Pattern.IsMatch(response))
                    return new SmtpClassification(rule.Class, rule.Provider, enhanced, rule.Explanation, rule.Id);
            }
            catch (RegexMatchTimeoutException)
            {
                // A pathological response must not stall the pipeline; the next rules may still match.
            }
        }

        if (enhanced is not null)
        {
            var parts = enhanced.Split('.');
            foreach (var key in new[] { enhanced, $"{parts[0]}.{parts[1]}.*", $"{parts[0]}.*" })
                if (_enhanced.TryGetValue(key, out var cls))
                    return new SmtpClassification(cls, null, enhanced, $"RFC 3463 status {enhanced}.", $"rfc3463:{key}");
        }

        var reply = ReplyCodePattern().Match(response);
        if (reply.Success && _replyCodes.TryGetValue(reply.Value[..1], out var replyClass))
            return new SmtpClassification(replyClass, null, enhanced, $"SMTP reply code {reply.Value}.", $"reply:{reply.Value[..1]}xx");

        return new SmtpClassification(SmtpClasses.Unknown, null, enhanced, "The response matches no known pattern.", "unknown");
    }

    /// <summary>What a rule id (as recorded in the windows) means: its class and explanation.</summary>
    public (string Class, string Explanation) Describe(string ruleId)
    {
        foreach (var rule in _rules)
            if (rule.Id == ruleId) return (rule.Class, rule.Explanation);
        if (ruleId.StartsWith("rfc3463:", StringComparison.Ordinal) && _enhanced.TryGetValue(ruleId[8..], out var cls))
            return (cls, $"RFC 3463 status {ruleId[8..]}.");
        if (ruleId.StartsWith("reply:", StringComparison.Ordinal) && _replyCodes.TryGetValue(ruleId[6..7], out var reply))
            return (reply, $"SMTP reply code {ruleId[6..]}.");
        return (SmtpClasses.Unknown, "The response matches no known pattern.");
    }

    [GeneratedRegex(@"\b[245]\.\d{1,3}\.\d{1,3}\b", RegexOptions.CultureInvariant)]
    private static partial Regex EnhancedStatusPattern();

    [GeneratedRegex(@"(?<![\d.])[245]\d\d(?![\d.])", RegexOptions.CultureInvariant)]
    private static partial Regex ReplyCodePattern();
}
