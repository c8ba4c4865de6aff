using ReputationMonitor.Core;
using ReputationMonitor.Kafka;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Processors.Public;
using Streamiz.Kafka.Net.SerDes;
using Streamiz.Kafka.Net.State;
using Streamiz.Kafka.Net.Stream;
using Streamiz.Kafka.Net.Table;
using ReputationMonitor.Engine;

namespace ReputationMonitor.StreamizRuntime;

/// <summary>
/// <code>
/// email.send-attempts ─┐ parse ─┬─ bad ──────────────────────────────> reputation.dlq (original bytes + reason)
/// email.events ────────┤        └─ ok ─ key by account ─ repartition ─ join + aggregate + rules ─┬─> reputation.actions
///                                                                                                ├─> reputation.account-stats
///                                                                                                ├─> reputation.entity-stats
///                                                                                                └─> reputation.suppressions
/// </code>
/// reputation.commands (operator actions) join the same repartition, so the task that owns an account's
/// status is the one that applies them.
/// Partitioning by account puts a message's attempt and all its events, and all of an account's
/// counters, on the same task, with a single repartition.
/// </summary>
public static class ReputationTopology
{
    public static void ConfigureTopology(StreamBuilder builder, ReputationEngineSettings settings)
    {
        var topics = settings.Topics;
        var bytes = new ByteArraySerDes();

        // One parsing branch per row of the input table.
        var parsed = InputParser.ForInputs(settings)
            .Select(parser => builder.Stream(parser.SourceTopic, bytes, bytes)
                .Transform(TransformerBuilder.New<byte[], byte[], byte[], ParsedRecord>().Transformer<ParseTransformer>(parser).Build()))
            .Aggregate((merged, next) => merged.Merge(next))
            .Branch((_, v, _) => v.IsDeadLetter, (_, _, _) => true);

        parsed[0].MapValues((v, _) => v.RawValue!).To(topics.Dlq, bytes, bytes);

        var outputs = parsed[1]
            .MapValues((v, _) => new StreamInput { Event = v.Event, Command = v.Command })
            .Repartition(Repartitioned<byte[], StreamInput>.As(Topics.ByAccountRepartition)
                .WithKeySerdes(bytes)
                .WithValueSerdes(new RepartitionSerDes()))
            .Transform(TransformerBuilder.New<byte[], StreamInput, string, StreamOutput>()
                .Transformer<ReputationTransformer>(settings)
                // The transformer writes each changed ledger and aggregate once per commit (write-behind, just before
                // the store flushes), so a hot account costs one changelog record per commit, not one per event: the
                // embedded broker keeps only ~5 MB per partition, real Kafka pays for every byte.
                .StateStore(new FlushingStoreBuilder(Stores.KeyValueStoreBuilder(Stores.InMemoryKeyValueStore(Topics.StateStore),
                        new StringSerDes(), new ByteArraySerDes())
                    .WithCachingDisabled()))
                .Build())
            // One branch per row of the output table, in its order (a record takes the first branch it matches).
            .Branch(OutputTable.Rows.Select(row => (Func<string, StreamOutput, Streamiz.Kafka.Net.Processors.IRecordContext, bool>)((_, v, _) => row.Matches(v))).ToArray());

        var strings = new StringSerDes();
        for (var i = 0; i < OutputTable.Rows.Count; i++)
            outputs[i].MapValues((v, _) => OutputTable.Encode(v)).To(OutputTable.Rows[i].Topic(topics), strings, bytes);
    }

    public static Topology Build(ReputationEngineSettings settings)
    {
        var builder = new StreamBuilder();
        ConfigureTopology(builder, settings);
        return builder.Build();
    }
}
