using ReputationMonitor.Core.Aggregation;

namespace ReputationMonitor.Core.Rules;

/// <summary>
/// The prevention pillar's findings from send attempts: spikes of refused requests by error code
/// (unverified identities, quota or send-rate exceeded, ...) and requests that keep arriving for a paused account.
/// </summary>
public sealed class PreventionRules(PreventionOptions options) : IReputationRule
{
    public string Name => "prevention";

    public bool AppliesTo(string kind) => kind == Aggregation.Dimensions.Account;

    public RuleResult Evaluate(EntityView entity) =>
        RuleResult.Of(Evaluate(entity.Scope, entity.Entity, entity.Status, entity.Recent, entity.Windows.Findings));

    public const string FailedAttempts = "failed-attempts", PausedSending = "paused-account-sending";

    /// <summary>Tally keys in the entity's windows (see <see cref="WindowedCounters.Tally"/>).</summary>
    public const string AcceptedTally = "attempt|accepted", PausedTally = "attempt|while-paused", FailedTallyPrefix = "attempt|failed:";

    public List<Decision> Evaluate(string scope, string entity, string status, WindowSnapshot slice, Dictionary<string, long> raised)
    {
        var findings = new List<Decision>();
        var accepted = slice.Responses.GetValueOrDefault(AcceptedTally);
        foreach (var (key, failed) in slice.Responses.Where(r => r.Key.StartsWith(FailedTallyPrefix, StringComparison.Ordinal)))
        {
            var code = key[FailedTallyPrefix.Length..];
            var share = (double)failed / (failed + accepted);
            if (failed < options.MinFailedAttempts || share < options.FailedShare) continue;
            var rule = $"{FailedAttempts}:{code}";
            if (!Findings.TryRaise(raised, rule, Findings.SliceStart(slice))) continue;
            findings.Add(Findings.Create(scope, entity, status, rule, "prevention", null, slice,
                new() { ["failed"] = failed, ["accepted"] = accepted }, new() { ["failedShare"] = share },
                new EvidenceThreshold(FailedAttempts, options.FailedShare, options.MinFailedAttempts, share),
                $"{failed} send requests refused with {code} ({share:P0} of requests) in {slice.Window.TotalMinutes:0} min{Advice(code)}"));
        }

        var whilePaused = slice.Responses.GetValueOrDefault(PausedTally);
        if (whilePaused > 0 && Findings.TryRaise(raised, PausedSending, Findings.SliceStart(slice)))
            findings.Add(Findings.Create(scope, entity, status, PausedSending, "prevention", null, slice,
                new() { ["attemptsWhilePaused"] = whilePaused }, [], new EvidenceThreshold(PausedSending, 1, 1, whilePaused),
                $"{whilePaused} send requests arrived for a paused {scope} in {slice.Window.TotalMinutes:0} min: the sending gateway is not honouring sending-status"));
        return findings;
    }

    private static string Advice(string code) => code switch
    {
        "MessageRejected" => ": unverified identities or content refused — check which identities the caller uses",
        "DailyQuotaExceeded" => ": the daily sending quota is exhausted",
        "MaxSendRateExceeded" or "Throttling" => ": the caller sends faster than the account's maximum send rate",
        "AccountSendingPaused" or "ConfigurationSetSendingPaused" => ": sending is paused and the caller keeps trying",
        _ => "",
    };
}

public sealed class PreventionOptions
{
    /// <summary>Refused requests with one error code, in the feedback slice, below which nothing is raised.</summary>
    public long MinFailedAttempts { get; set; } = 20;

    /// <summary>Share of all requests refused with one error code that raises a finding.</summary>
    public double FailedShare { get; set; } = 0.10;
}
