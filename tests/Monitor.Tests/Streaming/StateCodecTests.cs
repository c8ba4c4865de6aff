using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ReputationMonitor.Core;
using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Join;
using ReputationMonitor.Core.Model;
using ReputationMonitor.Core.Rules;
using ReputationMonitor.Engine;
using ReputationMonitor.Engine.State;
using ReputationMonitor.StreamizRuntime;

namespace ReputationMonitor.Tests.Streaming;

/// <summary>The stream's state and its by-account records survive their encoding exactly.</summary>
public sealed class StateCodecTests
{
    private static AccountAggregate Account()
    {
        var counters = new WindowedCounters(new WindowOptions());
        var account = new AccountAggregate { AccountId = "210987654321" };
        var t0 = DateTimeOffset.Parse("2026-11-20T09:00:00Z").ToUnixTimeMilliseconds();
        for (var i = 0; i < 300; i++)
            counters.Add(account.Windows, i % Providers.Count, i % Counters.Count, t0 + i * 45_000L, 1 + i % 3, i % 7 == 0 ? "gmail-421-4.7.28" : null);
        counters.AddSample(account, new EvidenceSample { MessageId = "m-1", Recipient = "ana@gmail.com", Counter = "bounce", Diagnostic = "550 5.1.1", AtMs = t0 });
        account.State = new EntityState
        {
            Status = EntityStatus.UnderReview, Sequence = 3, SinceMs = t0, Rule = "bounce-rate-review", EvaluateFromMs = t0 - 1,
            Review = new OpenReview { Id = "rev-1", Rule = "bounce-rate-review", OpenedAtMs = t0, DeadlineMs = t0 + 86_400_000 },
            AppliedCommands = ["cmd-1", "cmd-2"],
        };
        account.Dimensions = ["config-set/marketing", "domain/mail.acme.example"];
        account.Windows.Findings["gmail-throttling"] = t0;
        return account;
    }

    internal static MessageLedger Ledger() => new()
    {
        MessageId = "0100019a3f1c2b7e-5d0e9a41-7c2b-4e8f-9a3d-1b2c3d4e5f60-000000", AccountId = "210987654321", SentCounted = true, AttemptSeen = true,
        SentAtMs = 1_763_629_200_000, LastEventMs = 1_763_629_202_000, PendingSinceMs = 1_763_629_201_000, PendingSinceWallMs = 1_763_629_201_500,
        Pending =
        [
            new NormalizedEvent
            {
                Kind = EventKind.Bounce, AccountId = "210987654321", MessageId = "m", EventKey = "fb-1", TimestampMs = 5, MailTimestampMs = 4,
                Destinations = ["ana@gmail.com"], BounceType = "Permanent", BounceSubType = "General", Accepted = true,
                Recipients = [new RecipientDetail { Email = "ana@gmail.com", Status = "5.1.1", Diagnostic = "smtp; 550 5.1.1 user unknown" }],
            },
        ],
        Recipients = [new RecipientState { Email = "ana@gmail.com", Provider = 1, Flags = 5, CountedSent = true, Moves = [3, 7] }],
        Tenant = "acme", ConfigurationSet = "marketing", SendingPool = "shared-1", SendingIp = "192.0.2.44", FromDomain = "mail.acme.example",
        CallerIdentity = "acme-smtp", CallerIp = "198.51.100.23",
    };

    /// <summary>Compared through their JSON: every property, nested ones included.</summary>
    private static void AssertDecodesTo<T>(T expected, byte[] encoded, JsonTypeInfo<T> json) =>
        Assert.Equal(JsonSerializer.Serialize(expected, json), JsonSerializer.Serialize(StateCodec.Decode<T>(encoded), json));

    [Fact]
    public void An_account_aggregate_round_trips_exactly() =>
        AssertDecodesTo(Account(), StateCodec.Encode(Account()), CoreJsonContext.Default.AccountAggregate);

    [Fact]
    public void Windows_changelogged_in_the_full_bucket_layout_are_read_with_their_counts()
    {
        // A bucket as stored before per-provider slices: every provider's counters, no mask.
        var full = new long[Providers.Count * Counters.Count];
        full[Providers.Yahoo * Counters.Count + Counters.Sent] = 40;
        full[Providers.Yahoo * Counters.Count + Counters.HardBounces] = 3;
        var stored = MessagePack.MessagePackSerializer.Serialize(new { StreamTimeMs = 7_200_000L, FirstSeenMs = 3_600_000L,
            Hours = new[] { new { StartMs = 3_600_000L, Counts = full } } }, StateCodec.Options);

        var windows = StateCodec.Decode<EntityWindows>(stored);
        var counters = new WindowedCounters(new WindowOptions());
        var snapshot = counters.Snapshot(windows);
        Assert.Equal((40L, 3L, 40L), (snapshot.Totals.Sent, snapshot.Totals.Values[Counters.HardBounces], snapshot.ByProvider[Providers.Yahoo].Sent));
        counters.Add(windows, Providers.Gmail, Counters.Sent, 7_000_000);
        Assert.Equal(41L, counters.Snapshot(windows).Totals.Sent);
    }

    [Fact]
    public void Buckets_stored_as_maps_are_read_with_their_responses_and_stored_again_in_far_fewer_bytes()
    {
        // A bucket as the contractless map layout stored it (property names in every bucket), responses a map.
        var yahoo = new long[Counters.Count];
        yahoo[Counters.Sent] = 40;
        yahoo[Counters.HardBounces] = 3;
        var legacy = MessagePack.MessagePackSerializer.Serialize(new { StreamTimeMs = 7_200_000L, FirstSeenMs = 3_600_000L,
            Hours = new[] { new { StartMs = 3_600_000L, ProviderMask = 1 << Providers.Yahoo, Counts = yahoo,
                Responses = new Dictionary<string, long> { ["yahoo|yahoo-tss04"] = 3, ["accepted"] = 40 } } } }, StateCodec.Options);

        var windows = StateCodec.Decode<EntityWindows>(legacy);
        var snapshot = new WindowedCounters(new WindowOptions()).Snapshot(windows);
        Assert.Equal((40L, 3L), (snapshot.ByProvider[Providers.Yahoo].Sent, snapshot.Totals.Values[Counters.HardBounces]));
        Assert.Equal((3L, 40L), (snapshot.Responses["yahoo|yahoo-tss04"], snapshot.Responses["accepted"]));

        var stored = StateCodec.Encode(windows);
        AssertDecodesTo(windows, stored, CoreJsonContext.Default.EntityWindows);
        var bucket = MessagePack.MessagePackSerializer.Serialize(windows.Hours[0], StateCodec.Options);
        var bucketAsMap = MessagePack.MessagePackSerializer.Serialize(new { StartMs = 3_600_000L, ProviderMask = 1 << Providers.Yahoo,
            Counts = yahoo, Responses = new Dictionary<string, long> { ["yahoo|yahoo-tss04"] = 3, ["accepted"] = 40 } }, StateCodec.Options);
        Assert.True(bucket.Length * 3 < bucketAsMap.Length * 2, $"{bucket.Length} B as an array vs {bucketAsMap.Length} B as a map");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Ledgers_reach_the_entries_at_the_flush_or_at_once_when_written_through(bool writeThrough)
    {
        var entries = new ChangeloggedEntries();
        var state = new ReputationStateStore(entries, writeThrough);
        var ledger = Ledger();
        state.PutLedger(ledger);
        ledger.LastEventMs += 1; // a change after the put: written through, the entries keep what was put

        Assert.Equal(writeThrough ? 1 : 0, entries.All().Count(e => e.Key.StartsWith("m/")));
        state.Flush();
        var stored = new ReputationStateStore(entries).GetLedger(ledger.MessageId)!;
        Assert.Equal(writeThrough ? ledger.LastEventMs - 1 : ledger.LastEventMs, stored.LastEventMs);
        Assert.Equal(ledger.MessageId, state.GetLedger(ledger.MessageId)!.MessageId);
    }

    [Fact]
    public void Ledgers_are_keyed_by_a_short_hash_of_their_message_id()
    {
        var store = new Support.DictionaryKeyValueStore();
        var state = new ReputationStateStore(new StreamizStateEntries(store));
        var ledger = Ledger();
        state.PutLedger(ledger);
        state.Flush();

        var key = Assert.Single(store.Entries.Keys, k => k.StartsWith("m/"));
        Assert.Equal("m/".Length + 22, key.Length);
        var again = new ReputationStateStore(new StreamizStateEntries(store));
        var (hash, found) = Assert.Single(again.AllLedgers());
        Assert.Equal(ReputationStateStore.LedgerHash(ledger.MessageId), hash);
        Assert.Equal(ledger.AccountId, found.AccountId);
    }

    /// <summary>Every settable property of <typeparamref name="T"/> set to a value that is not its default, so that a property
    /// added later and forgotten by a formatter fails the round trips below.</summary>
    internal static T Filled<T>(T value) where T : class
    {
        var i = 0;
        foreach (var p in typeof(T).GetProperties().Where(p => p.CanWrite))
        {
            i++;
            object? v = p.PropertyType switch
            {
                var t when t == typeof(string) => $"{p.Name}-{i}",
                var t when t == typeof(long) => 1_763_629_200_000L + i,
                var t when t == typeof(int) => i,
                var t when t == typeof(bool) => true,
                var t when t.IsEnum => Enum.GetValues(t).GetValue(1),
                var t when t == typeof(string[]) => new[] { $"{p.Name}-a", $"{p.Name}-b" },
                var t when t == typeof(RecipientDetail[]) => new[] { Filled(new RecipientDetail { Email = "" }) },
                var t when t == typeof(List<RecipientState>) => new List<RecipientState> { Filled(new RecipientState { Email = "" }) },
                var t when t == typeof(List<NormalizedEvent>) => new List<NormalizedEvent> { Filled(new NormalizedEvent { AccountId = "", EventKey = "" }) },
                var t when t == typeof(List<long>) => new List<long> { 3, 7 },
                var t => throw new InvalidOperationException($"no test value for {t} ({typeof(T).Name}.{p.Name})"),
            };
            p.SetValue(value, v);
        }
        return value;
    }

    [Fact]
    public void Every_property_of_an_event_survives_the_by_account_encoding()
    {
        var input = new StreamInput { Event = Filled(new NormalizedEvent { AccountId = "", EventKey = "" }) };
        Assert.Equal(JsonSerializer.Serialize(input.Event, CoreJsonContext.Default.NormalizedEvent),
            JsonSerializer.Serialize(StreamInput.Read(StateCodec.Encode(input)).Event, CoreJsonContext.Default.NormalizedEvent));
    }

    [Fact]
    public void A_by_account_record_that_is_not_one_comes_back_unreadable_with_the_reason()
    {
        var read = StreamInput.Read("{\"event\":{}}"u8.ToArray());
        Assert.Null(read.Event);
        Assert.StartsWith(StreamInput.InvalidRecord, read.UnreadableReason);
    }
}
