using BenchmarkDotNet.Attributes;
using ReputationMonitor.Core.Classification;

namespace ReputationMonitor.Benchmarks;

/// <summary>Classifying SMTP responses: responses seen before (the per-template cache), and a corpus seen for the first time.</summary>
[MemoryDiagnoser]
public class ClassificationBenchmarks
{
    [Params(
        "smtp; 550-5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos.",
        "smtp; 421-4.7.28 Gmail has detected an unusual rate of unsolicited mail originating from your IP address.",
        "smtp; 554 5.7.1 Service unavailable; Client host [198.51.100.66] blocked using zen.spamhaus.org",
        "550 5.2.2 mailbox over quota somewhere new",
        "250 2.0.0 OK")]
    public string Response { get; set; } = "";

    [Benchmark]
    public string Classify() => SmtpResponseClassifier.Default.Classify(Response).Class;
}

/// <summary>
/// Every response of the corpus as if seen for the first time: each round appends a new word, so no template is cached,
/// while the patterns themselves are warm (as in a running service).
/// </summary>
[MemoryDiagnoser]
public class FirstSightClassificationBenchmarks
{
    private string[] _responses = [];
    private readonly SmtpResponseClassifier _classifier = SmtpResponseClassifier.Default;
    private int _round;

    [GlobalSetup]
    public void Setup()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Monitor.sln"))) root = Path.GetDirectoryName(root)!;
        _responses = SmtpCorpus.Read(Path.Combine(root, "corpus", "smtp-responses", "rules.tsv")).Select(r => r.Response).ToArray();
        foreach (var r in _responses) _classifier.Classify(r);
    }

    /// <returns>Responses classified, so that the work is not optimised away; time ÷ corpus size = per response.</returns>
    [Benchmark]
    public int ClassifyCorpus()
    {
        var word = " round" + string.Concat((++_round).ToString().Select(d => (char)('a' + d - '0')));
        var n = 0;
        foreach (var r in _responses) n += _classifier.Classify(r + word).Class.Length > 0 ? 1 : 0;
        return n;
    }
}
