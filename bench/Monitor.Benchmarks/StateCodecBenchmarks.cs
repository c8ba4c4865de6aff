using System.Text.Json;
using BenchmarkDotNet.Attributes;
using ReputationMonitor.Core;
using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Model;
using ReputationMonitor.Engine.State;

namespace ReputationMonitor.Benchmarks;

/// <summary>Writing and reading one account aggregate (a day of hourly buckets, an hour of minute buckets) as the store does.</summary>
[MemoryDiagnoser]
public class StateCodecBenchmarks
{
    private AccountAggregate _account = null!;
    private byte[] _json = [], _messagePack = [];

    [GlobalSetup]
    public void Build()
    {
        var counters = new WindowedCounters(new WindowOptions());
        _account = new AccountAggregate { AccountId = "210987654321" };
        var t0 = DateTimeOffset.Parse("2026-11-20T09:00:00Z").ToUnixTimeMilliseconds();
        var random = new Random(1);
        for (var i = 0; i < 20_000; i++)
            counters.Add(_account.Windows, random.Next(Providers.Count), random.Next(Counters.Count), t0 + i * 4_320L, 1, i % 50 == 0 ? "gmail-550-5.1.1" : null);
        _json = JsonSerializer.SerializeToUtf8Bytes(_account, CoreJsonContext.Default.AccountAggregate);
        _messagePack = StateCodec.Encode(_account);
        Console.WriteLine($"// account aggregate: JSON {_json.Length} B, MessagePack {_messagePack.Length} B");
    }

    [Benchmark(Baseline = true)] public byte[] WriteJson() => JsonSerializer.SerializeToUtf8Bytes(_account, CoreJsonContext.Default.AccountAggregate);
    [Benchmark] public byte[] WriteMessagePack() => StateCodec.Encode(_account);
    [Benchmark] public AccountAggregate ReadJson() => JsonSerializer.Deserialize(_json, CoreJsonContext.Default.AccountAggregate)!;
    [Benchmark] public AccountAggregate ReadMessagePack() => StateCodec.Decode<AccountAggregate>(_messagePack);
}
