using ReputationMonitor.Core.Rules;

namespace ReputationMonitor.Core.Reports;

/// <summary>What the scorecard is computed from, for one sending domain over the last day.</summary>
public sealed record ComplianceInputs(
    string Domain,
    IReadOnlyDictionary<string, (long Sent, long Complaints, long AuthFailures)> ByProvider,
    long Attempts, long AttemptsWithoutOneClick,
    IReadOnlyDictionary<string, (long Messages, long DmarcPass)> DmarcByProvider);

/// <summary>One line of the scorecard: a provider's requirement, what was observed, and whether it is met.</summary>
public sealed record ComplianceLine(string Requirement, string Status, double? Observed, string Target, string Detail, string Source);

public sealed record ProviderCompliance(string Provider, long DailyVolume, long? BulkThreshold, bool BulkSender, string Status,
    IReadOnlyList<ComplianceLine> Lines);

/// <summary>
/// Gmail's, Yahoo's and Microsoft's bulk-sender requirements for one sending domain: daily volume against each bulk
/// threshold, spam (complaint) rate against 0.1 % / 0.3 %, one-click unsubscribe, DMARC pass from the providers' own
/// aggregate reports, and authentication failures they answered with. Each line names the page it comes from.
/// </summary>
public static class ComplianceScorecard
{
    public const string Ok = "ok", Warning = "warning", Violation = "violation", NoData = "no_data", NotBulk = "not_bulk";

    private const string GmailGuidelines = "https://support.google.com/a/answer/81126",
        YahooGuidelines = "https://senders.yahooinc.com/best-practices/",
        MicrosoftRequirements = "https://techcommunity.microsoft.com/blog/microsoftdefenderforoffice365blog/strengthening-email-ecosystem-outlook%E2%80%99s-new-requirements-for-high%E2%80%90volume-senders/4399730";

    private sealed record ProviderRules(string Provider, long? BulkThreshold, string Source, bool SpamRate, bool OneClickRequired);

    private static readonly ProviderRules[] Rules =
    [
        new("gmail", 5000, GmailGuidelines, SpamRate: true, OneClickRequired: true),
        new("yahoo", null, YahooGuidelines, SpamRate: true, OneClickRequired: true),
        new("microsoft", 5000, MicrosoftRequirements, SpamRate: false, OneClickRequired: false),
    ];

    public static IReadOnlyList<ProviderCompliance> Evaluate(ComplianceInputs inputs, BulkSenderOptions options)
    {
        var result = new List<ProviderCompliance>();
        foreach (var rules in Rules)
        {
            var (sent, complaints, authFailures) = inputs.ByProvider.GetValueOrDefault(rules.Provider);
            var threshold = rules.Provider == "gmail" ? options.DailyGmailVolume : rules.BulkThreshold;
            var bulk = threshold is null ? sent > 0 : sent > threshold;
            var lines = new List<ComplianceLine>
            {
                new("daily-volume", bulk ? Ok : NotBulk, sent,
                    threshold is { } t ? $"bulk sender above {t:N0} messages a day" : "no published number: the requirements apply to bulk senders",
                    $"{sent:N0} messages to {rules.Provider} in the last 24 h", rules.Source),
            };
            if (rules.SpamRate) lines.Add(SpamRate(sent, complaints, bulk, options, rules.Source));
            lines.Add(OneClick(inputs, bulk, rules.OneClickRequired, rules.Source));
            lines.Add(Dmarc(inputs.DmarcByProvider.GetValueOrDefault(rules.Provider), bulk, rules.Source));
            lines.Add(new ComplianceLine("authentication", authFailures > 0 ? (bulk ? Violation : Warning) : Ok, authFailures,
                "no message refused or deferred for SPF, DKIM or DMARC",
                authFailures == 0 ? $"no authentication failure from {rules.Provider} in 24 h"
                    : $"{authFailures:N0} responses from {rules.Provider} refused or deferred mail as unauthenticated in 24 h", rules.Source));
            result.Add(new ProviderCompliance(rules.Provider, sent, threshold, bulk, Worst(lines), lines));
        }
        return result;
    }

    private static ComplianceLine SpamRate(long sent, long complaints, bool bulk, BulkSenderOptions options, string source)
    {
        if (sent == 0) return new("spam-rate", NoData, null, Target(options), "no mail in 24 h", source);
        var rate = (double)complaints / sent;
        var status = rate >= options.ComplaintViolation ? (bulk ? Violation : Warning) : rate >= options.ComplaintWarning ? Warning : Ok;
        return new("spam-rate", status, rate, Target(options),
            $"{complaints:N0} complaints of {sent:N0} ({rate:P2}); the provider's own figure (Postmaster Tools) counts reports this monitor may not receive",
            source);
    }

    private static string Target(BulkSenderOptions options) => $"under {options.ComplaintWarning:P1}, never {options.ComplaintViolation:P1} or more";

    private static ComplianceLine OneClick(ComplianceInputs inputs, bool bulk, bool required, string source)
    {
        const string target = "List-Unsubscribe with List-Unsubscribe-Post (RFC 8058) on marketing mail";
        if (inputs.Attempts == 0) return new("one-click-unsubscribe", NoData, null, target, "no send attempts recorded in 24 h", source);
        var share = 1 - (double)inputs.AttemptsWithoutOneClick / inputs.Attempts;
        var status = inputs.AttemptsWithoutOneClick == 0 ? Ok : bulk && required ? Violation : Warning;
        return new("one-click-unsubscribe", status, share, target,
            $"{share:P1} of {inputs.Attempts:N0} messages carried one-click unsubscribe{(required ? "" : " (recommended, not required)")}", source);
    }

    private static ComplianceLine Dmarc((long Messages, long DmarcPass) reports, bool bulk, string source)
    {
        const string target = "DMARC record published and mail passing it (SPF or DKIM aligned with the From domain)";
        if (reports.Messages == 0) return new("dmarc", NoData, null, target, "no DMARC aggregate report from this provider for the last day reported", source);
        var rate = (double)reports.DmarcPass / reports.Messages;
        var status = rate >= 0.98 ? Ok : bulk ? Violation : Warning;
        return new("dmarc", status, rate, target, $"{rate:P1} of {reports.Messages:N0} messages passed DMARC in the provider's report", source);
    }

    private static string Worst(IEnumerable<ComplianceLine> lines)
    {
        var statuses = lines.Select(l => l.Status).ToList();
        return statuses.Contains(Violation) ? Violation : statuses.Contains(Warning) ? Warning : statuses.All(s => s is NotBulk or NoData or Ok) && statuses.Contains(NotBulk) ? NotBulk : Ok;
    }

    /// <summary>The mailbox provider a DMARC reporting organisation stands for (Google, Yahoo, Microsoft), or null.</summary>
    public static string? ProviderOfReporter(string orgName)
    {
        var org = orgName.ToLowerInvariant();
        if (org.Contains("google")) return "gmail";
        if (org.Contains("yahoo") || org.Contains("aol") || org.Contains("verizon")) return "yahoo";
        if (org.Contains("outlook") || org.Contains("microsoft") || org.Contains("hotmail")) return "microsoft";
        return null;
    }
}
