using System.Text.Json;
using ReputationMonitor.Core;
using ReputationMonitor.Core.Join;
using ReputationMonitor.Observability;
using ReputationMonitor.Engine;
using ReputationMonitor.Engine.State;
using ReputationMonitor.Engine.Observability;
using ReputationMonitor.Engine.Processing;

namespace ReputationMonitor.Tests.Streaming;

/// <summary>
/// Ledgers as the store holds them: no message id, dimensions as the id of a set stored once, times as differences —
/// and still every field back exactly, in every runtime's entries and after a restart.
/// </summary>
public sealed class LedgerLayoutTests
{
    private const long Touch = 60_000;

    private static string Json(MessageLedger ledger) => JsonSerializer.Serialize(ledger, CoreJsonContext.Default.MessageLedger);

    private static MessageLedger Ledger(int i, string? sendingIp = "192.0.2.44")
    {
        var ledger = StateCodecTests.Ledger();
        ledger.MessageId = $"0100019a3f1c2b7e-5d0e9a41-7c2b-4e8f-9a3d-{i:D12}-000000";
        ledger.Pending = null;
        ledger.Recipients[0].Email = $"u{i}@gmail.com";
        ledger.Recipients[0].Moves = [ledger.SentAtMs << 4 | 1, (ledger.SentAtMs + 1_400) << 4 | 3, (ledger.SentAtMs - 20) << 4 | 2];
        ledger.SendingIp = sendingIp;
        return ledger;
    }

    [Fact]
    public void A_ledger_reads_back_exactly_by_its_message_id()
    {
        var state = new ReputationStateStore(new ChangeloggedEntries(), ledgersWriteThrough: true, Touch);
        var ledger = StateCodecTests.Ledger();
        state.PutLedger(ledger);
        Assert.Equal(Json(ledger), Json(state.GetLedger(ledger.MessageId)!));

        var filled = StateCodecTests.Filled(new MessageLedger { MessageId = "", AccountId = "" });
        state.PutLedger(filled);
        Assert.Equal(Json(filled), Json(state.GetLedger(filled.MessageId)!));
    }

    [Fact]
    public void A_ledger_read_by_its_hash_takes_its_id_from_the_event_waiting_in_it()
    {
        var state = new ReputationStateStore(new ChangeloggedEntries(), ledgersWriteThrough: true, Touch);
        var ledger = StateCodecTests.Ledger();
        ledger.Pending![0].MessageId = ledger.MessageId;
        state.PutLedger(ledger);
        Assert.Equal(Json(ledger), Json(state.GetLedger(ReputationStateStore.LedgerHash(ledger.MessageId))!));
    }

    [Fact]
    public void A_ledger_of_an_unknown_layout_version_is_refused_by_name()
    {
        var entries = new ChangeloggedEntries();
        var ledger = StateCodecTests.Ledger();
        new ReputationStateStore(entries, ledgersWriteThrough: true).PutLedger(ledger);
        var (key, bytes) = Assert.Single(entries.All(), e => e.Key.StartsWith("m/"));
        bytes = (byte[])bytes.Clone();
        bytes[1] = 9; // the version follows the array header
        entries.Put(key, bytes);

        var e = Assert.Throws<MessagePack.MessagePackSerializationException>(() => new ReputationStateStore(entries).GetLedger(ledger.MessageId));
        Assert.Contains("MessageLedger layout 9", e.Message);
    }

    [Fact]
    public void Ledgers_of_one_sender_share_one_stored_dimension_set_and_hold_a_third_of_a_property_map()
    {
        var entries = new ChangeloggedEntries();
        var state = new ReputationStateStore(entries, ledgersWriteThrough: true, Touch);
        for (var i = 0; i < 100; i++) state.PutLedger(Ledger(i));
        state.PutLedger(Ledger(100, sendingIp: "192.0.2.45"));

        Assert.Equal(2, entries.All().Count(e => e.Key.StartsWith(DimensionSets.Prefix)));
        var ledgers = entries.All().Where(e => e.Key.StartsWith("m/")).ToList();
        Assert.Equal(101, ledgers.Count);
        var asMap = MessagePack.MessagePackSerializer.Serialize(Ledger(0),
            MessagePack.MessagePackSerializerOptions.Standard.WithResolver(MessagePack.Resolvers.ContractlessStandardResolver.Instance)).Length;
        var largest = ledgers.Max(e => e.Value.Length);
        Assert.True(largest * 4 <= asMap, $"a ledger holds {largest} B, {asMap} B as a property map");
        for (var i = 0; i <= 100; i++)
        {
            var expected = i < 100 ? Ledger(i) : Ledger(100, sendingIp: "192.0.2.45");
            Assert.Equal(Json(expected), Json(state.GetLedger(expected.MessageId)!));
        }
    }

    [Fact]
    public void A_set_is_stored_again_only_when_its_last_use_moved_by_the_touch_interval()
    {
        var entries = new ChangeloggedEntries();
        var state = new ReputationStateStore(entries, ledgersWriteThrough: true, Touch);
        int SetWrites()
        {
            var n = 0;
            entries.DrainChanges((key, _) => n += key.StartsWith(DimensionSets.Prefix) ? 1 : 0);
            return n;
        }
        var t0 = Ledger(0).LastEventMs;
        for (var i = 0; i < 50; i++)
        {
            var ledger = Ledger(i);
            ledger.LastEventMs = t0 + i * 1_000; // 49 s
            state.PutLedger(ledger);
        }
        Assert.Equal(1, SetWrites());
        var later = Ledger(50);
        later.LastEventMs = t0 + Touch + 1;
        state.PutLedger(later);
        Assert.Equal(1, SetWrites());
    }

    [Fact]
    public void A_set_expires_after_the_ledgers_that_use_it_and_a_ledger_whose_set_is_gone_reads_without_dimensions()
    {
        var entries = new ChangeloggedEntries();
        var state = new ReputationStateStore(entries, ledgersWriteThrough: true, Touch);
        var ledger = Ledger(0);
        state.PutLedger(ledger);

        Assert.Equal(0, state.EvictDimensionSets(ledger.LastEventMs)); // a ledger this new may still be read
        Assert.Equal(0, state.EvictDimensionSets(ledger.LastEventMs + Touch));
        Assert.Equal(1, state.EvictDimensionSets(ledger.LastEventMs + Touch + 1));
        Assert.DoesNotContain(entries.All(), e => e.Key.StartsWith(DimensionSets.Prefix));

        var missing = EngineMetrics.MissingDimensionSets.Value;
        var read = state.GetLedger(ledger.MessageId)!;
        Assert.Null(read.Tenant);
        Assert.Null(read.SendingIp);
        Assert.Equal(ledger.AccountId, read.AccountId);
        Assert.True(EngineMetrics.MissingDimensionSets.Value >= missing + 1, "the missing set was not counted");
    }

    [Fact]
    public void The_set_of_a_late_event_s_ledger_is_kept_from_the_stream_time_it_was_written_at_not_its_old_event_time()
    {
        var state = new ReputationStateStore(new ChangeloggedEntries(), ledgersWriteThrough: true, Touch);
        var late = Ledger(0);
        state.StreamTimeMs = late.LastEventMs + TimeSpan.FromDays(10).Ticks / TimeSpan.TicksPerMillisecond;
        state.PutLedger(late); // a bounce for a message sent ten days ago: its ledger waits behind those queued before it

        Assert.Equal(0, state.EvictDimensionSets(late.LastEventMs + Touch + 1));
        Assert.Equal(0, state.EvictDimensionSets(state.StreamTimeMs + Touch));
        Assert.Equal(1, state.EvictDimensionSets(state.StreamTimeMs + Touch + 1));
    }

    [Fact]
    public void After_a_restart_ledgers_read_their_sets_back_and_sets_nothing_uses_expire()
    {
        var entries = new ChangeloggedEntries();
        var before = new ReputationStateStore(entries, ledgersWriteThrough: true, Touch);
        var kept = Ledger(0);
        var gone = Ledger(1, sendingIp: "192.0.2.45");
        before.PutLedger(kept);
        before.PutLedger(gone);
        before.DeleteLedger(ReputationStateStore.LedgerHash(gone.MessageId)); // its retention ended; its set still stored

        var after = new ReputationStateStore(entries, ledgersWriteThrough: true, Touch);
        var (hash, restored) = Assert.Single(after.AllLedgers());
        Assert.Equal(ReputationStateStore.LedgerHash(kept.MessageId), hash);
        Assert.Equal(kept.SendingIp, restored.SendingIp);
        Assert.Equal(2, after.DimensionSetCount);
        Assert.Equal(2, after.EvictDimensionSets(kept.LastEventMs + Touch + 1));
        Assert.Equal(0, after.DimensionSetCount);
    }
}

/// <summary>The engine over simulated traffic: one stored dimension set per steady sender, however many messages.</summary>
public sealed class DimensionSetEngineTests
{

    [Fact]
    public void A_steady_sender_s_messages_share_one_dimension_set()
    {
        const int accounts = 5;
        var start = DateTimeOffset.Parse("2026-11-20T09:00:00Z");
        var topics = new ReputationMonitor.Configuration.KafkaOptions().AllTopics();
        var entries = new ChangeloggedEntries();
        var engine = new ReputationEngine(new ReputationEngineSettings { Topics = topics, Clock = new Support.ManualClock(start.AddMinutes(10)), MaxFutureSkew = TimeSpan.FromDays(3650) },
            entries, ledgersWriteThrough: true);
        var attempts = InputParser.ForAttempts(new ReputationEngineSettings { Topics = topics });
        var events = InputParser.ForEvents(new ReputationEngineSettings { Topics = topics });
        var simulator = new Simulation.TrafficSimulator(Simulation.SimulationScenario.Steady, 42, accounts, start, 100, TimeSpan.FromMinutes(1));
        for (var i = 0; i < 500; i++)
            foreach (var r in simulator.Next().Records)
                engine.Process((r.IsAttempt ? attempts : events).Parse(System.Text.Encoding.UTF8.GetBytes(r.Json)).Input!);

        var sets = entries.All().Where(e => e.Key.StartsWith(DimensionSets.Prefix)).ToList();
        Assert.Equal(500, entries.All().Count(e => e.Key.StartsWith("m/")));
        Assert.Equal(accounts, sets.Count);
    }
}
