using ReputationMonitor.Core.Aggregation;

namespace ReputationMonitor.Core.Rules;

/// <summary>A state transition (or finding) with the evidence behind it. Published to <c>reputation.actions</c>.</summary>
public sealed class Decision
{
    public const string TransitionKind = "transition", FindingKind = "finding";

    /// <summary><c>transition</c> (a status change) or <c>finding</c> (a warning with evidence; from = to).</summary>
    public string Kind { get; set; } = TransitionKind;

    /// <summary>For provider findings: the recipient provider concerned.</summary>
    public string? Provider { get; set; }

    public required string Scope { get; set; }
    public required string Entity { get; set; }
    public required string From { get; set; }
    public required string To { get; set; }
    public required string Rule { get; set; }
    public required string Pillar { get; set; }
    public required DecisionEvidence Evidence { get; set; }
    public DateTimeOffset At { get; set; }
    public required string DecisionId { get; set; }

    /// <summary>The entity's n-th transition; with the entity it makes <see cref="DecisionId"/> deterministic.</summary>
    public int Sequence { get; set; }
    public string? Reason { get; set; }

    /// <summary>Who decided: <c>rule</c>, or the operator's name.</summary>
    public string Actor { get; set; } = "rule";

    /// <summary>The review this decision opened, extended or closed, with its deadline.</summary>
    public ReviewRef? Review { get; set; }

    /// <summary>For operator decisions: the command that caused it.</summary>
    public string? CommandId { get; set; }
}

public sealed record ReviewRef(string Id, DateTimeOffset OpenedAt, DateTimeOffset Deadline, string Outcome);

public sealed class DecisionEvidence
{
    public required EvidenceWindow Window { get; set; }
    public required Dictionary<string, long> Counts { get; set; }
    public required Dictionary<string, double> Rates { get; set; }
    public required EvidenceThreshold Threshold { get; set; }
    public List<EvidenceSampleView> Samples { get; set; } = [];

    /// <summary>For the compromise signal: the callers (identity@ip) never seen before the spike.</summary>
    public List<string>? NewCallers { get; set; }

    /// <summary>For provider findings: the responses behind it, with what they mean.</summary>
    public List<EvidenceResponse>? Responses { get; set; }

    /// <summary>For DMARC findings: the sources (IP addresses) sending as the domain that failed authentication.</summary>
    public List<EvidenceSource>? Sources { get; set; }
}

public sealed record EvidenceSource(string SourceIp, long Messages, bool SpfPass, bool DkimPass, string ReportedBy);

/// <summary>A response rule behind a finding; <see cref="Scope"/> is what the responses said was limited (ip, netblock,
/// domain, url, account), when they said.</summary>
public sealed record EvidenceResponse(string RuleId, string Class, string Explanation, long Count, string? Scope = null);

public sealed record EvidenceThreshold(string Metric, double Value, long MinVolume, double Observed);

public sealed record EvidenceSampleView(string MessageId, string Recipient, string Counter, string? Diagnostic, string? Class, DateTimeOffset At);
