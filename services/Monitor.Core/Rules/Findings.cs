using System.Security.Cryptography;
using System.Text;
using ReputationMonitor.Core.Aggregation;

namespace ReputationMonitor.Core.Rules;

/// <summary>
/// Builds findings (warnings with evidence, from = to = the entity's status) and keeps them to one per rule
/// and slice: a persisting problem is reported again each slice, not on every event; the id is deterministic.
/// </summary>
public static class Findings
{
    /// <returns>False when this rule already fired for the entity in this slice.</returns>
    public static bool TryRaise(Dictionary<string, long> raised, string key, long sliceStart)
    {
        if (raised.TryGetValue(key, out var last) && last >= sliceStart) return false;
        raised[key] = sliceStart;
        return true;
    }

    public static long SliceStart(WindowSnapshot slice) => slice.EndMs - (slice.EndMs % (long)slice.Window.TotalMilliseconds);

    public static Decision Create(string scope, string entity, string status, string key, string pillar, string? provider,
        WindowSnapshot slice, Dictionary<string, long> counts, Dictionary<string, double> rates, EvidenceThreshold threshold,
        string reason, List<EvidenceResponse>? responses = null) => new()
    {
        Kind = Decision.FindingKind,
        Scope = scope,
        Entity = entity,
        From = status,
        To = status,
        Rule = key,
        Pillar = pillar,
        At = DateTimeOffset.FromUnixTimeMilliseconds(slice.EndMs),
        DecisionId = Id(scope, entity, key, SliceStart(slice)),
        Reason = reason,
        Provider = provider,
        Evidence = new DecisionEvidence
        {
            Window = EvidenceWindow.Of(slice),
            Counts = counts,
            Rates = rates,
            Threshold = threshold,
            Responses = responses,
        },
    };

    /// <summary>The deterministic id of a finding: one per scope, entity, rule and period start.</summary>
    public static string Id(string scope, string entity, string rule, long sliceStart)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"finding\n{scope}\n{entity}\n{rule}\n{sliceStart}"));
        return new Guid(hash.AsSpan(0, 16)).ToString();
    }
}
