namespace ReputationMonitor.Core.Classification;

/// <summary>How one class fares: how many responses carry it, how many the classifier gave it, how many of those agree.</summary>
public sealed record ClassScore(string Class, int Expected, int Predicted, int Correct)
{
    public double Precision => Predicted == 0 ? 1 : (double)Correct / Predicted;
    public double Recall => Expected == 0 ? 1 : (double)Correct / Expected;
}

public sealed record EvaluationMiss(LabelledResponse Row, SmtpClassification Got, string GotProvider);

/// <summary>
/// The classifier measured on a labelled corpus: class and provider accuracy, per-class precision and recall, the
/// confusion matrix (expected × predicted) and every miss with the rule that decided it.
/// </summary>
public sealed class ClassifierEvaluation
{
    public int Total { get; }
    public int ClassCorrect { get; }
    public int ProviderCorrect { get; }
    public IReadOnlyList<ClassScore> Classes { get; }
    public IReadOnlyDictionary<(string Expected, string Predicted), int> Confusion { get; }
    public IReadOnlyList<EvaluationMiss> Misses { get; }

    public double ClassAccuracy => Total == 0 ? 0 : (double)ClassCorrect / Total;
    public double ProviderAccuracy => Total == 0 ? 0 : (double)ProviderCorrect / Total;

    private ClassifierEvaluation(int total, int classCorrect, int providerCorrect, IReadOnlyList<ClassScore> classes,
        IReadOnlyDictionary<(string, string), int> confusion, IReadOnlyList<EvaluationMiss> misses)
    {
        Total = total;
        ClassCorrect = classCorrect;
        ProviderCorrect = providerCorrect;
        Classes = classes;
        Confusion = confusion;
        Misses = misses;
    }

    public static ClassifierEvaluation Run(IEnumerable<LabelledResponse> rows, SmtpResponseClassifier classifier, ProviderDirectory providers)
    {
        var confusion = new Dictionary<(string, string), int>();
        var misses = new List<EvaluationMiss>();
        int total = 0, classCorrect = 0, providerCorrect = 0;
        foreach (var row in rows)
        {
            total++;
            var c = classifier.Classify(row.Response);
            var provider = ResponseProvider.Of(c, row.Response, providers);
            confusion[(row.Class, c.Class)] = confusion.GetValueOrDefault((row.Class, c.Class)) + 1;
            var classOk = c.Class == row.Class;
            var providerOk = provider == row.Provider;
            if (classOk) classCorrect++;
            if (providerOk) providerCorrect++;
            if (!classOk || !providerOk) misses.Add(new EvaluationMiss(row, c, provider));
        }
        var classes = SmtpClasses.All.Order(StringComparer.Ordinal)
            .Select(cls => new ClassScore(cls,
                confusion.Where(kv => kv.Key.Item1 == cls).Sum(kv => kv.Value),
                confusion.Where(kv => kv.Key.Item2 == cls).Sum(kv => kv.Value),
                confusion.GetValueOrDefault((cls, cls))))
            .Where(s => s.Expected > 0 || s.Predicted > 0).ToList();
        return new ClassifierEvaluation(total, classCorrect, providerCorrect, classes, confusion, misses);
    }

    /// <summary>The report <c>monitor classify --evaluate</c> prints: totals, per-class scores, the confusion matrix, the misses.</summary>
    public string Report(bool listMisses)
    {
        var w = new StringWriter();
        w.WriteLine($"responses: {Total}   class accuracy: {ClassAccuracy:P1} ({ClassCorrect}/{Total})   provider accuracy: {ProviderAccuracy:P1} ({ProviderCorrect}/{Total})");
        w.WriteLine();
        w.WriteLine($"{"class",-18} {"support",8} {"precision",10} {"recall",8}");
        foreach (var s in Classes) w.WriteLine($"{s.Class,-18} {s.Expected,8} {s.Precision,10:P1} {s.Recall,8:P1}");
        w.WriteLine();
        var labels = Classes.Select(s => s.Class).ToList();
        var abbreviations = labels.Select(Abbreviate).ToList();
        w.WriteLine("confusion (rows: expected, columns: predicted)");
        w.WriteLine($"{"",-18} " + string.Join(" ", abbreviations.Select(a => $"{a,5}")));
        foreach (var expected in labels)
            w.WriteLine($"{expected,-18} " + string.Join(" ", labels.Select(p => Confusion.GetValueOrDefault((expected, p)) is var n and > 0 ? $"{n,5}" : $"{".",5}")));
        w.WriteLine("  " + string.Join("  ", labels.Zip(abbreviations, (l, a) => $"{a}={l}")));
        if (!listMisses || Misses.Count == 0) return w.ToString();
        w.WriteLine();
        w.WriteLine("misses (expected class/provider → got, rule):");
        foreach (var m in Misses)
            w.WriteLine($"  {m.Row.Class}/{m.Row.Provider} → {m.Got.Class}/{m.GotProvider} [{m.Got.RuleId}]  {Truncate(m.Row.Response, 160)}  ({m.Row.Source})");
        return w.ToString();
    }

    private static string Abbreviate(string cls) => string.Concat(cls.Split('_').Select(p => p[..Math.Min(p.Length, cls.Contains('_') ? 2 : 5)]));

    private static string Truncate(string s, int n) => s.Length <= n ? s : s[..n] + "…";
}
