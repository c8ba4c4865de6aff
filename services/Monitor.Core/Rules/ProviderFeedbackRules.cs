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
public sealed class ProviderFeedbackRules(FindingThresholds thresholds, SmtpResponseClassifier classifier) : IReputationRule
{
    public string Name => "provider-feedback";

    /// <summary>Every entity: an account and each of its dimensions (findings name the dimension kind as their scope).</summary>
    public bool AppliesTo(string kind) => true;

    public RuleResult Evaluate(EntityView entity) =>
        RuleResult.Of(Evaluate(entity.Kind, entity.Entity, entity.Status, entity.Recent, entity.Windows.Findings));

    public const string Throttling = "provider-throttling", Blocklisting = "provider-blocklisting",
        AuthFailures = "provider-auth-failures", ReputationBlocks = "provider-reputation-block";

    public FindingThresholds Thresholds => thresholds;

    /// <summary>The provider part of a response key (<c>provider|rule</c>), by provider number.</summary>
    private static readonly string[] ProviderPrefixes = [.. Enumerable.Range(0, Providers.Count).Select(p => Providers.Name(p) + "|")];

    private readonly (string Rule, string Class, long Min)[] _responseRules =
    [
        (Blocklisting, SmtpClasses.Blocklisted, thresholds.BlocklistMinResponses),
        (AuthFailures, SmtpClasses.AuthFailure, thresholds.AuthFailureMinResponses),
        (ReputationBlocks, SmtpClasses.ReputationBlock, thresholds.ReputationBlockMinResponses),
    ];

    /// <param name="raised">Per entity: "rule:provider" → slice start of the last finding raised (updated here).</param>
    /// <remarks>Runs for every entity that changed, at every statistics tick: what it reads is gathered without LINQ, and a
    /// provider with no responses in the slice costs no allocation.</remarks>
    public List<Decision> Evaluate(string scope, string entity, string status, WindowSnapshot slice, Dictionary<string, long> raised)
    {
        var findings = new List<Decision>();
        for (var p = 0; p < Providers.Count; p++)
        {
            var provider = Providers.Name(p);
            var counts = slice.ByProvider[p];
            var all = ResponsesOf(slice, ProviderPrefixes[p]);

            // Throttling is counted per recipient; when every throttling response names what it limits and that is not this
            // entity (Gmail limiting the IP, not the configuration set), the finding belongs to that entity only.
            bool anyThrottle = false, throttleConcernsIt = false;
            foreach (var r in all)
                if (r.Meaning.Class == SmtpClasses.Throttled)
                {
                    anyThrottle = true;
                    throttleConcernsIt |= Concerns(scope, r.Meaning.Scope);
                }
            var throttlingConcernsIt = !anyThrottle || throttleConcernsIt;
            var throttleShare = counts.Rate(Counters.Throttled);
            if (throttlingConcernsIt && counts.Sent >= thresholds.ThrottleMinVolume && throttleShare >= thresholds.ThrottleShare)
                Add(Throttling, thresholds.ThrottleShare, thresholds.ThrottleMinVolume, throttleShare,
                    $"{provider} is throttling {throttleShare:P1} of recipients ({counts[Counters.Throttled]} of {counts.Sent}) in {thresholds.FeedbackWindow.TotalMinutes:0} min",
                    SmtpClasses.Throttled);
            foreach (var (rule, cls, min) in _responseRules)
            {
                long n = 0;
                foreach (var r in all)
                    if (r.Meaning.Class == cls && Concerns(scope, r.Meaning.Scope)) n += r.Count;
                if (n >= min)
                    Add(rule, min, min, n, $"{n} {cls.Replace('_', ' ')} responses from {provider} in {thresholds.FeedbackWindow.TotalMinutes:0} min", cls);
            }

            void Add(string rule, double threshold, long minVolume, double observed, string reason, string cls)
            {
                var key = $"{rule}:{provider}";
                if (!Findings.TryRaise(raised, key, Findings.SliceStart(slice))) return;
                findings.Add(Findings.Create(scope, entity, status, key, "analysis", provider, slice, counts.ToDictionary(),
                    new() { ["throttle"] = throttleShare, ["bounce"] = counts.Rate(Counters.HardBounces) },
                    new EvidenceThreshold(rule, threshold, minVolume, observed), reason,
                    all.Where(r => r.Meaning.Class == cls && Concerns(scope, r.Meaning.Scope)).OrderByDescending(r => r.Count).Take(5)
                        .Select(r => new EvidenceResponse(SmtpResponseClassifier.RuleOf(r.Rule), r.Meaning.Class, r.Meaning.Explanation, r.Count,
                            r.Meaning.Scope)).ToList()));
            }
        }
        return findings;
    }

    /// <summary>
    /// A response that names what it limits is raised on that entity: an IP or network block on the account, its IP and pool, a
    /// domain or URL block on the account and its sending domain, not on its other dimensions; the rest on every entity.
    /// </summary>
    public static bool Concerns(string entityKind, string? responseScope) => responseScope switch
    {
        ResponseScopes.Ip or ResponseScopes.Netblock => entityKind is Dimensions.Account or Dimensions.Ip or Dimensions.Pool,
        ResponseScopes.Domain or ResponseScopes.Url => entityKind is Dimensions.Account or Dimensions.Domain,
        _ => true,
    };

    /// <summary>The slice's responses from one provider (keys <c>provider|rule</c>), with what each means.</summary>
    private List<Response> ResponsesOf(WindowSnapshot slice, string prefix)
    {
        List<Response>? found = null;
        foreach (var (key, count) in slice.Responses)
        {
            if (!key.StartsWith(prefix, StringComparison.Ordinal)) continue;
            var rule = key[prefix.Length..];
            (found ??= []).Add(new Response(rule, count, classifier.Meaning(rule)));
        }
        return found ?? NoResponses;
    }

    private static readonly List<Response> NoResponses = [];

    private sealed record Response(string Rule, long Count, (string Class, string Explanation, string? Scope) Meaning);
}
