using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Classification;

namespace ReputationMonitor.Api;

/// <summary>Combines entity window statistics (one entity, or the same domain/IP across accounts) for the API.</summary>
public sealed class CombinedWindow
{
    public Dictionary<string, long> Totals { get; } = [];
    public Dictionary<string, Dictionary<string, long>> ByProvider { get; } = [];
    public Dictionary<string, long> Responses { get; } = [];
    public DateTimeOffset? Start { get; private set; }
    public DateTimeOffset? End { get; private set; }
    public long DurationSeconds { get; private set; }

    public static CombinedWindow Of(IEnumerable<WindowStats> windows)
    {
        var c = new CombinedWindow();
        foreach (var w in windows) c.Add(w);
        return c;
    }

    public void Add(WindowStats w)
    {
        Start = Start is null || w.Start < Start ? w.Start : Start;
        End = End is null || w.End > End ? w.End : End;
        DurationSeconds = w.DurationSeconds;
        Sum(Totals, w.Totals);
        foreach (var p in w.ByProvider)
        {
            if (!ByProvider.TryGetValue(p.Provider, out var d)) ByProvider[p.Provider] = d = [];
            Sum(d, p.Counts);
        }
        Sum(Responses, w.Responses);
    }

    public WindowView? Period => Start is { } s && End is { } e ? new WindowView(s, e, DurationSeconds) : null;

    public IReadOnlyList<ProviderView> Providers() => ByProvider
        .OrderByDescending(p => p.Value.GetValueOrDefault("sent"))
        .Select(p =>
        {
            var c = CountsView.From(p.Value);
            return new ProviderView(p.Key, c.Sent, c.Delivered, c.HardBounces, c.SoftBounces, c.Complaints, c.Delayed,
                c.Throttled, c.Rejected, c.Suppressed, RatesView.From(c));
        }).ToList();

    /// <summary>The most frequent response rules, with class and explanation (optionally for one provider).</summary>
    public IReadOnlyList<ResponseView> TopResponses(int count = 10, string? provider = null) => Responses
        .Select(r => (Parts: r.Key.Split('|', 2), Count: r.Value))
        .Where(r => r.Parts.Length == 2 && Core.Model.Providers.All.Contains(r.Parts[0]) && (provider is null || r.Parts[0] == provider))
        .OrderByDescending(r => r.Count).ThenBy(r => r.Parts[1])
        .Take(count)
        .Select(r =>
        {
            var (cls, explanation, scope) = SmtpResponseClassifier.Default.Meaning(r.Parts[1]);
            return new ResponseView(r.Parts[0], cls, SmtpResponseClassifier.RuleOf(r.Parts[1]), explanation, r.Count, scope);
        }).ToList();

    private static void Sum(Dictionary<string, long> into, IReadOnlyDictionary<string, long> from)
    {
        foreach (var (k, v) in from) into[k] = into.GetValueOrDefault(k) + v;
    }
}
