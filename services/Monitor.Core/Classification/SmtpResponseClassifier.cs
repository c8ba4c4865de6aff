using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ReputationMonitor.Core.Classification;

/// <summary>
/// Classifies SMTP responses (bounce diagnostic codes, delay diagnostics, delivery responses) with rules kept in
/// data (<c>Data/smtp-rules.json</c>), each citing its source, read in the precedence of
/// <see cref="PrecedenceSteps"/>. Unknown text classifies as <c>unknown</c>; it never throws.
/// </summary>
public sealed partial class SmtpResponseClassifier
{
    private readonly Rule[] _rules;
    private readonly Dictionary<string, Rule> _byId;
    private readonly Dictionary<string, string> _enhanced;
    private readonly Dictionary<string, string> _replyCodes;
    private readonly Dictionary<string, string> _sources;
    private readonly string _enhancedSource, _replySource;
    private readonly ResponseScopeReader _scopes;

    public static SmtpResponseClassifier Default { get; } = FromJson(EmbeddedData.Read("smtp-rules.json"));

    private SmtpResponseClassifier(SmtpRulesFile file, Rule[] rules)
    {
        _rules = rules;
        _byId = rules.ToDictionary(r => r.Id);
        _enhanced = file.EnhancedStatus;
        _replyCodes = file.ReplyCodes;
        _sources = file.Sources;
        _enhancedSource = file.EnhancedStatusSource;
        _replySource = file.ReplyCodeSource;
        _scopes = ResponseScopeReader.From(file.Scopes);
    }

    public static SmtpResponseClassifier FromJson(string json)
    {
        var file = JsonSerializer.Deserialize(json, ClassificationJsonContext.Default.SmtpRulesFile)
            ?? throw new InvalidDataException("SMTP rules file is empty");
        var rules = file.Rules.Select(r =>
        {
            if (!SmtpClasses.All.Contains(r.Class))
                throw new InvalidDataException($"SMTP rule '{r.Id}' has unknown class '{r.Class}'");
            if (!PrecedenceSteps.RuleSteps.Contains(r.Step))
                throw new InvalidDataException($"SMTP rule '{r.Id}' has unknown step '{r.Step}' (one of {string.Join(", ", PrecedenceSteps.RuleSteps)})");
            if (r.Scope is not null && !ResponseScopes.All.Contains(r.Scope))
                throw new InvalidDataException($"SMTP rule '{r.Id}' has unknown scope '{r.Scope}'");
            if (string.IsNullOrWhiteSpace(r.Source) || (!file.Sources.ContainsKey(r.Source) && !r.Source.Contains("://", StringComparison.Ordinal)))
                throw new InvalidDataException($"SMTP rule '{r.Id}' names no known source ('{r.Source}')");
            return new Rule(r.Id, r.Step, ResponsePatterns.Compile(r.Pattern), r.Class, r.Provider, r.Scope, r.Explanation, r.Source);
        }).OrderBy(r => PrecedenceSteps.Rank(r.Step)).ToArray(); // stable: file order within a step
        var duplicate = rules.GroupBy(r => r.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidDataException($"SMTP rule id '{duplicate.Key}' is used twice");
        foreach (var (code, cls) in file.EnhancedStatus)
            if (!SmtpClasses.All.Contains(cls))
                throw new InvalidDataException($"enhancedStatus '{code}' maps to unknown class '{cls}'");
        return new SmtpResponseClassifier(file, rules);
    }

    /// <summary>Rules in the order they are tried, for <c>monitor classify --explain</c> and the documentation.</summary>
    public IReadOnlyList<(string Id, string Step, string Class, string? Source)> Rules =>
        _rules.Select(r => (r.Id, r.Step, r.Class, SourceUrl(r.Source))).ToList();

    /// <summary>
    /// Responses repeat with different addresses, IPs and ids; their classification is kept per template (those parts
    /// masked), so the rules run once per kind of response, not once per bounce. Bounded: cleared when full.
    /// </summary>
    private readonly ConcurrentDictionary<string, SmtpClassification> _byTemplate = new(StringComparer.Ordinal);

    private const int MaxTemplates = 10_000;

    public SmtpClassification Classify(string? response)
    {
        if (string.IsNullOrWhiteSpace(response))
            return new SmtpClassification(SmtpClasses.Unknown, null, null, "No SMTP response was given.", "empty");

        var template = Template(response);
        if (_byTemplate.TryGetValue(template, out var known))
            return known.Scope is null ? known : known with { Entity = ResponseScopeReader.EntityOf(response, known.Scope) };
        var classification = ClassifyAnew(response);
        if (_byTemplate.Count >= MaxTemplates) _byTemplate.Clear();
        _byTemplate[template] = classification;
        return classification;
    }

    /// <summary>
    /// A multi-line reply joined into one line repeats its code on every line ("550-5.7.1 ... is 550-5.7.1 likely
    /// unsolicited mail"); the rules read the wording without the repeats, the first code kept.
    /// </summary>
    internal static string JoinContinuations(string response)
    {
        var first = ContinuationPattern().Match(response);
        if (!first.Success) return response;
        var code = first.Groups["code"].Value;
        var rest = response.AsSpan(first.Index + first.Length);
        if (rest.IndexOf(code.AsSpan(0, 3)) < 0) return response;
        return string.Concat(response.AsSpan(0, first.Index + first.Length), ContinuationPattern().Replace(rest.ToString(), c =>
            c.Groups["code"].Value[..3] == code[..3] && c.Groups["code"].Value[4..] == code[4..] ? " " : c.Value));
    }

    /// <summary>The response with what varies between otherwise equal responses masked: addresses, IPv4s, long ids, long numbers.</summary>
    internal static string Template(string response) =>
        VolatilePattern().Replace(response.Length <= ResponsePatterns.MaxLength ? response : response[..ResponsePatterns.MaxLength], "#");

    private SmtpClassification ClassifyAnew(string response)
    {
        var enhanced = EnhancedStatusPattern().Match(response) is { Success: true } m ? m.Groups[1].Value : null;
        var text = JoinContinuations(response);
        foreach (var rule in _rules)
            if (ResponsePatterns.Matches(rule.Pattern, text))
                return WithScope(new SmtpClassification(rule.Class, rule.Provider, enhanced, rule.Explanation, rule.Id, rule.Step,
                    SourceUrl(rule.Source)), response, rule.Scope);

        if (enhanced is not null)
        {
            var parts = enhanced.Split('.');
            foreach (var key in new[] { enhanced, $"{parts[0]}.{parts[1]}.*", $"{parts[0]}.*" })
                if (_enhanced.TryGetValue(key, out var cls))
                    return WithScope(new SmtpClassification(cls, null, enhanced, $"RFC 3463 status {enhanced}.", $"rfc3463:{key}",
                        PrecedenceSteps.EnhancedStatus, SourceUrl(_enhancedSource)), response, null);
        }

        var reply = ReplyCodePattern().Match(response);
        if (reply.Success && _replyCodes.TryGetValue(reply.Value[..1], out var replyClass))
            return WithScope(new SmtpClassification(replyClass, null, enhanced, $"SMTP reply code {reply.Value}.", $"reply:{reply.Value[..1]}xx",
                PrecedenceSteps.ReplyCode, SourceUrl(_replySource)), response, null);

        return new SmtpClassification(SmtpClasses.Unknown, null, enhanced, "The response matches no known pattern.", "unknown");
    }

    private SmtpClassification WithScope(SmtpClassification c, string response, string? ruleScope)
    {
        var scope = ruleScope ?? _scopes.ScopeOf(response);
        if (scope is null) return c;
        return c with
        {
            Scope = scope,
            Entity = ResponseScopeReader.EntityOf(response, scope),
            Key = ruleScope is null ? $"{c.RuleId}/{scope}" : c.RuleId,
        };
    }

    /// <summary>
    /// What a recorded response key means (a rule id, "rule/scope", "rfc3463:5.1.*", "reply:4xx"): its class,
    /// explanation and scope.
    /// </summary>
    public (string Class, string Explanation) Describe(string key)
    {
        var (cls, explanation, _) = Meaning(key);
        return (cls, explanation);
    }

    public (string Class, string Explanation, string? Scope) Meaning(string key)
    {
        var slash = key.IndexOf('/');
        var (ruleId, textScope) = slash < 0 ? (key, null) : (key[..slash], key[(slash + 1)..]);
        if (_byId.TryGetValue(ruleId, out var rule)) return (rule.Class, rule.Explanation, rule.Scope ?? textScope);
        if (ruleId.StartsWith("rfc3463:", StringComparison.Ordinal) && _enhanced.TryGetValue(ruleId[8..], out var cls))
            return (cls, $"RFC 3463 status {ruleId[8..]}.", textScope);
        if (ruleId.StartsWith("reply:", StringComparison.Ordinal) && ruleId.Length > 6 && _replyCodes.TryGetValue(ruleId[6..7], out var reply))
            return (reply, $"SMTP reply code {ruleId[6..]}.", textScope);
        return (SmtpClasses.Unknown, "The response matches no known pattern.", textScope);
    }

    /// <summary>The rule id of a recorded response key ("rule/scope" → "rule").</summary>
    public static string RuleOf(string key) => key.IndexOf('/') is var slash and >= 0 ? key[..slash] : key;

    /// <summary>The scope a recorded response key carries when the text named it ("rule/ip" → "ip"), else null.</summary>
    public static string? TextScopeOf(string key) => key.IndexOf('/') is var slash and >= 0 ? key[(slash + 1)..] : null;

    private string? SourceUrl(string source) => _sources.TryGetValue(source, out var url) ? url : source.Length == 0 ? null : source;

    // "5.7.1", also written "5 7 1"? No: only the dotted form is a status code; a leading "#" (qmail "(#5.1.1)") is allowed.
    [GeneratedRegex(@"(?<![\d.])([245]\.\d{1,3}\.\d{1,3})(?![\d]|\.\d)", RegexOptions.CultureInvariant)]
    private static partial Regex EnhancedStatusPattern();

    [GeneratedRegex(@"(?<![\w.])[245]\d\d(?![\w.])", RegexOptions.CultureInvariant)]
    private static partial Regex ReplyCodePattern();

    /// <summary>A reply code with its enhanced status, as each line of a multi-line reply starts: "550-5.7.1 " or "550 5.7.1 ".</summary>
    [GeneratedRegex(@"(?<![\w.])(?<code>[245]\d\d[- ][245]\.\d{1,3}\.\d{1,3})(?![\w.])\s*", RegexOptions.CultureInvariant)]
    private static partial Regex ContinuationPattern();

    [GeneratedRegex(@"[^\s<>()\[\]""';,:]+@[^\s<>()\[\]""';,:]+|(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])|\b(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{10,}\b|\d{5,}", RegexOptions.CultureInvariant)]
    private static partial Regex VolatilePattern();

    private sealed record Rule(string Id, string Step, Regex Pattern, string Class, string? Provider, string? Scope, string Explanation, string Source);
}
