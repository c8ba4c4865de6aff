using BenchmarkDotNet.Attributes;
using ReputationMonitor.Core.Parsing;

namespace ReputationMonitor.Benchmarks;

/// <summary>Parsing one record of each kind from its UTF-8 bytes (the samples of the design).</summary>
[MemoryDiagnoser]
public class ParsingBenchmarks
{
    private readonly SesEventParser _events = new(RecordLimits.DefaultMaxRecordBytes);
    private readonly SendAttemptParser _attempts = new(RecordLimits.DefaultMaxRecordBytes);
    private byte[] _record = [];

    [Params("send-attempt-accepted", "send", "delivery", "bounce-permanent", "complaint", "delivery-delay", "sns-notification-bounce")]
    public string Sample { get; set; } = "";

    [GlobalSetup]
    public void Load() => _record = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "samples", Sample + ".json"));

    [Benchmark]
    public bool Parse() => (Sample.StartsWith("send-attempt", StringComparison.Ordinal) ? _attempts.Parse(_record) : _events.Parse(_record)).IsSuccess;
}
