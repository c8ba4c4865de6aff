using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Core.Rules;

/// <summary>
/// Gmail and Yahoo's 2024 bulk-sender requirements, per sending domain: more than 5,000 messages a day to Gmail
/// makes a bulk sender; then a complaint rate >= 0.3 % is a violation and >= 0.1 % a warning, and bulk mail
/// without one-click unsubscribe (RFC 8058 List-Unsubscribe-Post) is a finding.
/// </summary>
public sealed class BulkSenderRules(BulkSenderOptions options) : IReputationRule
{
    public string Name => "bulk-senders";

    /// <summary>Sending domains: the bulk-sender requirements are the mailbox providers' rules per From domain.</summary>
    public bool AppliesTo(string kind) => kind == Aggregation.Dimensions.Domain;

    public RuleResult Evaluate(EntityView entity) => RuleResult.Of(Evaluate(entity.Entity, entity.Status, entity.All, entity.Windows.Findings));

    public const string Complaints = "bulk-sender-complaints", Unsubscribe = "bulk-sender-unsubscribe";
    public const string AttemptTally = PreventionRules.AcceptedTally, NoOneClickTally = "attempt|no-one-click";

    public List<Decision> Evaluate(string entity, string status, WindowSnapshot day, Dictionary<string, long> raised)
    {
        var findings = new List<Decision>();
        var gmail = day.ByProvider[Providers.Gmail].Sent;
        if (gmail <= options.DailyGmailVolume) return findings;

        var rate = day.ComplaintRate;
        var level = rate >= options.ComplaintViolation ? ("violation", options.ComplaintViolation)
            : rate >= options.ComplaintWarning ? ("warning", options.ComplaintWarning) : default;
        if (level.Item1 is { } name && Findings.TryRaise(raised, $"{Complaints}:{name}", Findings.SliceStart(day)))
            findings.Add(Findings.Create("domain", entity, status, $"{Complaints}:{name}", "analysis", "gmail", day, day.Totals.ToDictionary(),
                new() { ["complaint"] = rate }, new EvidenceThreshold(Complaints, level.Item2, options.DailyGmailVolume, rate),
                $"bulk sender ({gmail} messages to Gmail in 24 h): complaint rate {rate:P2} is a {name} (Gmail/Yahoo: keep it under 0.1 %, never reach 0.3 %)"));

        var attempts = day.Responses.GetValueOrDefault(AttemptTally);
        var missing = day.Responses.GetValueOrDefault(NoOneClickTally);
        var share = attempts == 0 ? 0 : (double)missing / attempts;
        if (share >= options.MissingUnsubscribeShare && Findings.TryRaise(raised, Unsubscribe, Findings.SliceStart(day)))
            findings.Add(Findings.Create("domain", entity, status, Unsubscribe, "analysis", "gmail", day,
                new() { ["attempts"] = attempts, ["withoutOneClick"] = missing }, new() { ["missingShare"] = share },
                new EvidenceThreshold(Unsubscribe, options.MissingUnsubscribeShare, options.DailyGmailVolume, share),
                $"bulk sender: {share:P0} of its mail lacks one-click unsubscribe (List-Unsubscribe + List-Unsubscribe-Post)"));
        return findings;
    }
}

public sealed class BulkSenderOptions
{
    public long DailyGmailVolume { get; set; } = 5000;
    public double ComplaintWarning { get; set; } = 0.001;
    public double ComplaintViolation { get; set; } = 0.003;
    public double MissingUnsubscribeShare { get; set; } = 0.05;
}
