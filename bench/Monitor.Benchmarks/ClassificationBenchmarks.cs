using BenchmarkDotNet.Attributes;
using ReputationMonitor.Core.Classification;

namespace ReputationMonitor.Benchmarks;

/// <summary>Classifying SMTP responses: a provider rule, the RFC 3463 fallback, and a success.</summary>
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
