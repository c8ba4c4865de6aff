using System.Security.Cryptography;
using System.Text;
using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Classification;
using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Core.Rules;

/// <summary>
/// The analysis pillar's provider feedback: per entity and provider, over the feedback slice, a throttling
/// spike, blocklisting, authentication failures and reputation blocks become findings with the responses
/// that caused them. One finding per rule, provider and slice: a persisting problem is reported again each
/// slice, not on every event. Findings never change a status.
/// </summary>
public sealed class ProviderFeedbackRules(FindingThresholds thresholds, SmtpResponseClassifier classifier)
{
    public const string Throttling = "provider-throttling", Blocklisting = "provider-blocklisting",
        AuthFailures = "provider-auth-failures", ReputationBlocks = "provider-reputation-block";

    public FindingThresholds Thresholds => thresholds;

    /// <param name="raised">Per entity: "rule:provider" → slice start of the last finding raised (updated here).</param>
    public List<Decision> Evaluate(string scope, string entity, string status, WindowSnapshot slice, Dictionary<string, long> raised)
    {
        var findings = new List<Decision>();
        var sliceMs = (long)thresholds.FeedbackWindow.TotalMilliseconds;
        var sliceStart = slice.EndMs - (slice.EndMs % sliceMs);
        for (var p = 0; p < Providers.Count; p++)
        {
            var provider = Providers.Name(p);
            var counts = slice.ByProvider[p];
            var responses = slice.Responses
                .Where(r => r.Key.StartsWith(provider + "|", StringComparison.Ordinal))
                .Select(r => new Response(r.Key[(provider.Length + 1)..], r.Value, classifier.Describe(r.Key[(provider.Length + 1)..])))
                .ToList();

            var throttleShare = counts.Rate(Counters.Throttled);
            if (counts.Sent >= thresholds.ThrottleMinVolume && throttleShare >= thresholds.ThrottleShare)
                Add(Throttling, thresholds.ThrottleShare, thresholds.ThrottleMinVolume, throttleShare,
                    $"{provider} is throttling {throttleShare:P1} of recipients ({counts[Counters.Throttled]} of {counts.Sent}) in {thresholds.FeedbackWindow.TotalMinutes:0} min",
                    SmtpClasses.Throttled);
            foreach (var (rule, cls, min) in new[]
                     {
                         (Blocklisting, SmtpClasses.Blocklisted, thresholds.BlocklistMinResponses),
                         (AuthFailures, SmtpClasses.AuthFailure, thresholds.AuthFailureMinResponses),
                         (ReputationBlocks, SmtpClasses.ReputationBlock, thresholds.ReputationBlockMinResponses),
                     })
            {
                var n = responses.Where(r => r.Meaning.Class == cls).Sum(r => r.Count);
                if (n >= min)
                    Add(rule, min, min, n, $"{n} {cls.Replace('_', ' ')} responses from {provider} in {thresholds.FeedbackWindow.TotalMinutes:0} min", cls);
            }

            void Add(string rule, double threshold, long minVolume, double observed, string reason, string cls)
            {
                var key = $"{rule}:{provider}";
                if (raised.TryGetValue(key, out var last) && last >= sliceStart) return;
                raised[key] = sliceStart;
                findings.Add(new Decision
                {
                    Kind = Decision.FindingKind,
                    Scope = scope,
                    Entity = entity,
                    From = status,
                    To = status,
                    Rule = key,
                    Pillar = "analysis",
                    At = DateTimeOffset.FromUnixTimeMilliseconds(slice.EndMs),
                    DecisionId = Id(scope, entity, key, sliceStart),
                    Reason = reason,
                    Provider = provider,
                    Evidence = new DecisionEvidence
                    {
                        Window = new EvidenceWindow(DateTimeOffset.FromUnixTimeMilliseconds(slice.StartMs),
                            DateTimeOffset.FromUnixTimeMilliseconds(slice.EndMs), (long)thresholds.FeedbackWindow.TotalSeconds),
                        Counts = counts.ToDictionary(),
                        Rates = new() { ["throttle"] = throttleShare, ["bounce"] = counts.Rate(Counters.HardBounces) },
                        Threshold = new EvidenceThreshold(rule, threshold, minVolume, observed),
                        Responses = responses.Where(r => r.Meaning.Class == cls).OrderByDescending(r => r.Count).Take(5)
                            .Select(r => new EvidenceResponse(r.Rule, r.Meaning.Class, r.Meaning.Explanation, r.Count)).ToList(),
                    },
                });
            }
        }
        return findings;
    }

    private sealed record Response(string Rule, long Count, (string Class, string Explanation) Meaning);

    private static string Id(string scope, string entity, string rule, long sliceStart)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"finding\n{scope}\n{entity}\n{rule}\n{sliceStart}"));
        return new Guid(hash.AsSpan(0, 16)).ToString();
    }
}
