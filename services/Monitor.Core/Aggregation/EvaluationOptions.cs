namespace ReputationMonitor.Core.Aggregation;

/// <summary>
/// <c>Reputation:Evaluation</c>: what a status scope's rates are measured over. <c>window</c> (the default): the evaluation
/// window (24 h by event time). <c>representativeVolume</c>: as SES measures a sender — over its last <see cref="Volume"/>
/// recipients however long they took to send, back at most <see cref="MaxAge"/>, so a low-volume sender's rate is neither
/// the noise of one day nor forgotten after it. <see cref="Scopes"/> sets either per scope (<c>account</c>,
/// <c>configuration-set</c>, <c>tenant</c>).
/// </summary>
public sealed class EvaluationOptions
{
    public const string Window = "window", RepresentativeVolume = "representativeVolume";

    public string Mode { get; set; } = Window;

    /// <summary>Recipients a representative-volume rate is measured over (SES's notices read "the last 10,192 eligible emails").</summary>
    public long Volume { get; set; } = 10_000;

    /// <summary>How far back a representative-volume rate may reach; also how long daily history is kept for it.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(180);

    public Dictionary<string, EvaluationScopeOptions> Scopes { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The evaluation of a status scope: its own settings over the defaults.</summary>
    public Evaluation For(string scope)
    {
        var own = Scopes.GetValueOrDefault(scope);
        return new Evaluation(own?.Mode ?? Mode, own?.Volume ?? Volume, own?.MaxAge ?? MaxAge);
    }

    /// <summary>Daily history to keep: the longest <see cref="MaxAge"/> of a scope measured by representative volume, else none.</summary>
    public TimeSpan HistoryKept(IEnumerable<string> scopes) =>
        scopes.Select(For).Where(e => e.IsRepresentative).Select(e => e.MaxAge).DefaultIfEmpty(TimeSpan.Zero).Max();
}

public sealed class EvaluationScopeOptions
{
    public string? Mode { get; set; }
    public long? Volume { get; set; }
    public TimeSpan? MaxAge { get; set; }
}

/// <summary>How one scope's rates are measured.</summary>
public sealed record Evaluation(string Mode, long Volume, TimeSpan MaxAge)
{
    public bool IsRepresentative => Mode == EvaluationOptions.RepresentativeVolume;

    public static Evaluation ByWindow { get; } = new(EvaluationOptions.Window, 0, TimeSpan.Zero);
}
