using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ReputationMonitor.Core;
using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Join;
using ReputationMonitor.Core.Model;
using ReputationMonitor.Core.Rules;
using ReputationMonitor.Streaming;

namespace ReputationMonitor.Tests.Streaming;

/// <summary>The stream's state survives its store encoding exactly, and state written as JSON by earlier versions is still read.</summary>
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
        Assert.Equal(JsonSerializer.Serialize(expected, json), JsonSerializer.Serialize(StateCodec.Decode(encoded, json), json));

    [Fact]
    public void An_account_aggregate_round_trips_exactly() =>
        AssertDecodesTo(Account(), StateCodec.Encode(Account()), CoreJsonContext.Default.AccountAggregate);

    [Fact]
    public void A_ledger_with_a_pending_event_round_trips_exactly() =>
        AssertDecodesTo(Ledger(), StateCodec.Encode(Ledger()), CoreJsonContext.Default.MessageLedger);

    /// <summary>The older layout stored ledgers as contractless maps (every property name in every ledger).</summary>
    private static readonly MessagePack.MessagePackSerializerOptions MapLayout =
        MessagePack.MessagePackSerializerOptions.Standard.WithResolver(MessagePack.Resolvers.ContractlessStandardResolver.Instance);

    [Fact]
    public void A_ledger_stored_as_a_map_by_an_earlier_version_is_still_read() =>
        AssertDecodesTo(Ledger(), MessagePack.MessagePackSerializer.Serialize(Ledger(), MapLayout), CoreJsonContext.Default.MessageLedger);

    [Fact]
    public void A_ledger_is_stored_without_its_property_names()
    {
        var ledger = Ledger();
        ledger.Pending = null; // the common case: its events came after the attempt
        var compact = StateCodec.Encode(ledger).Length;
        var map = MessagePack.MessagePackSerializer.Serialize(ledger, MapLayout).Length;
        Assert.True(compact < map * 0.6, $"ledger: {compact} B as stored, {map} B as a map");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Ledgers_reach_the_entries_at_the_flush_or_at_once_when_written_through(bool writeThrough)
    {
        var entries = new Processing.ChangeloggedEntries();
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
    public void Ledgers_are_keyed_by_a_short_hash_and_ledgers_keyed_by_message_id_are_rekeyed_at_start()
    {
        var store = new Support.DictionaryKeyValueStore();
        var legacy = Ledger();
        store.Put("m/" + legacy.MessageId, StateCodec.Encode(legacy)); // as the older layout stored it
        var state = new ReputationStateStore(new StreamizStateEntries(store));

        var (hash, found) = Assert.Single(state.AllLedgers());
        Assert.Equal(ReputationStateStore.LedgerHash(legacy.MessageId), hash);
        Assert.Equal(legacy.MessageId, found.MessageId);
        state.Flush();
        var key = Assert.Single(store.Entries.Keys, k => k.StartsWith("m/"));
        Assert.Equal("m/".Length + 22, key.Length);
        Assert.Equal(legacy.MessageId, state.GetLedger(legacy.MessageId)!.MessageId);

        var again = new ReputationStateStore(new StreamizStateEntries(store));
        Assert.Equal(hash, Assert.Single(again.AllLedgers()).Hash);
        Assert.Equal(key, Assert.Single(store.Entries.Keys, k => k.StartsWith("m/")));
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
    public void Every_property_of_an_event_and_a_ledger_survives_the_store_and_the_repartition_encoding()
    {
        AssertDecodesTo(Filled(new MessageLedger { MessageId = "", AccountId = "" }),
            StateCodec.Encode(Filled(new MessageLedger { MessageId = "", AccountId = "" })), CoreJsonContext.Default.MessageLedger);
        var input = new StreamInput { Event = Filled(new NormalizedEvent { AccountId = "", EventKey = "" }) };
        var serdes = new MessagePackSerDes<StreamInput>(StreamingJsonContext.Default.StreamInput);
        var context = new Confluent.Kafka.SerializationContext(Confluent.Kafka.MessageComponentType.Value, "by-account-repartition");
        Assert.Equal(JsonSerializer.Serialize(input, StreamingJsonContext.Default.StreamInput),
            JsonSerializer.Serialize(serdes.Deserialize(serdes.Serialize(input, context), context), StreamingJsonContext.Default.StreamInput));
    }

    [Fact]
    public void An_event_written_as_a_map_by_an_earlier_version_is_still_read()
    {
        var input = new StreamInput { Event = Filled(new NormalizedEvent { AccountId = "", EventKey = "" }) };
        var serdes = new MessagePackSerDes<StreamInput>(StreamingJsonContext.Default.StreamInput);
        var context = new Confluent.Kafka.SerializationContext(Confluent.Kafka.MessageComponentType.Value, "by-account-repartition");
        var asMap = MessagePack.MessagePackSerializer.Serialize(input, MapLayout);
        Assert.Equal(JsonSerializer.Serialize(input, StreamingJsonContext.Default.StreamInput),
            JsonSerializer.Serialize(serdes.Deserialize(asMap, context), StreamingJsonContext.Default.StreamInput));
        Assert.True(serdes.Serialize(input, context).Length < asMap.Length * 0.75, "the array layout is not smaller");
    }

    [Fact]
    public void State_written_as_json_by_an_earlier_version_is_still_read() =>
        AssertDecodesTo(Account(), JsonSerializer.SerializeToUtf8Bytes(Account(), CoreJsonContext.Default.AccountAggregate),
            CoreJsonContext.Default.AccountAggregate);

    [Fact]
    public void A_repartitioned_event_written_as_json_by_an_earlier_version_is_still_read()
    {
        var input = new StreamInput { Event = Ledger().Pending![0] };
        var serdes = new MessagePackSerDes<StreamInput>(StreamingJsonContext.Default.StreamInput);
        var json = JsonSerializer.SerializeToUtf8Bytes(input, StreamingJsonContext.Default.StreamInput);
        var context = new Confluent.Kafka.SerializationContext(Confluent.Kafka.MessageComponentType.Value, "by-account-repartition");
        Assert.Equal(JsonSerializer.Serialize(input, StreamingJsonContext.Default.StreamInput),
            JsonSerializer.Serialize(serdes.Deserialize(json, context), StreamingJsonContext.Default.StreamInput));
        Assert.Equal(JsonSerializer.Serialize(input, StreamingJsonContext.Default.StreamInput),
            JsonSerializer.Serialize(serdes.Deserialize(serdes.Serialize(input, context), context), StreamingJsonContext.Default.StreamInput));
    }
}
