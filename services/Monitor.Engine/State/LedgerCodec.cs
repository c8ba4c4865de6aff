using System.Buffers;
using MessagePack;
using ReputationMonitor.Core;
using ReputationMonitor.Core.Join;
using ReputationMonitor.Core.Model;
using ReputationMonitor.Engine.Observability;

namespace ReputationMonitor.Engine.State;

/// <summary>
/// A message ledger as the store holds it, the bulk of the state: one per message in flight for the ledger retention, so
/// every byte here is paid once per message in flight. No message id (the key is its hash, and whoever reads a ledger
/// knows the id — or takes it from an event waiting in it), the dimensions as the id of their
/// <see cref="DimensionSets">set</see>, and times as differences from the send time (shorter in MessagePack than absolute
/// times). The first field is the layout version.
/// <c>[2, accountId, bits, sentAtMs, lastEvent − sentAt, pendingSinceMs, pendingSinceWallMs, pending, recipients, setId]</c>
/// with a recipient <c>[email, provider, flags, bits, moves − sentAt&lt;&lt;4]</c>.
/// </summary>
internal static class LedgerCodec
{
    private const int Layout = 2, Fields = 10, RecipientFields = 5;
    private const int SentCounted = 1, AttemptSeen = 2, Simulator = 1, CountedSent = 2;

    public static byte[] Encode(MessageLedger ledger, ulong dimensionSet)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        var writer = new MessagePackWriter(buffer);
        writer.WriteArrayHeader(Fields);
        writer.Write(Layout);
        writer.Write(ledger.AccountId);
        writer.Write((ledger.SentCounted ? SentCounted : 0) | (ledger.AttemptSeen ? AttemptSeen : 0));
        var sentAt = ledger.SentAtMs;
        writer.Write(sentAt);
        writer.Write(ledger.LastEventMs - sentAt);
        writer.Write(ledger.PendingSinceMs);
        writer.Write(ledger.PendingSinceWallMs);
        StateCodec.Options.Resolver.GetFormatterWithVerify<List<NormalizedEvent>?>().Serialize(ref writer, ledger.Pending, StateCodec.Options);
        writer.WriteArrayHeader(ledger.Recipients.Count);
        foreach (var r in ledger.Recipients)
        {
            writer.WriteArrayHeader(RecipientFields);
            writer.Write(r.Email);
            writer.Write(r.Provider);
            writer.Write(r.Flags);
            writer.Write((r.Simulator ? Simulator : 0) | (r.CountedSent ? CountedSent : 0));
            if (r.Moves is null) writer.WriteNil();
            else
            {
                writer.WriteArrayHeader(r.Moves.Count);
                // A move is eventTime << 4 | counter; less the send time << 4 it is the same counter and a small number.
                foreach (var move in r.Moves) writer.Write(move - (sentAt << 4));
            }
        }
        writer.Write(dimensionSet);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <param name="messageId">The message's id where the reader knows it; otherwise that of an event waiting in the
    /// ledger, or empty (a ledger only being expired needs none).</param>
    /// <param name="sets">Where the dimensions are; a set that is gone leaves them empty (counted, not thrown).</param>
    public static MessageLedger Decode(byte[] bytes, string? messageId, DimensionSets sets)
    {
        var reader = new MessagePackReader(bytes);
        if (!ArrayLayout.TryBegin(ref reader, nameof(MessageLedger), Layout, Fields, out var count))
            throw new MessagePackSerializationException("a ledger is never stored as nil");
        var accountId = reader.ReadString()!;
        var bits = reader.ReadInt32();
        var sentAt = reader.ReadInt64();
        var ledger = new MessageLedger
        {
            MessageId = messageId ?? "",
            AccountId = accountId,
            SentCounted = (bits & SentCounted) != 0,
            AttemptSeen = (bits & AttemptSeen) != 0,
            SentAtMs = sentAt,
            LastEventMs = sentAt + reader.ReadInt64(),
            PendingSinceMs = reader.ReadInt64(),
            PendingSinceWallMs = reader.ReadInt64(),
            Pending = StateCodec.Options.Resolver.GetFormatterWithVerify<List<NormalizedEvent>?>().Deserialize(ref reader, StateCodec.Options),
        };
        if (messageId is null && ledger.Pending is [var waiting, ..] && waiting.MessageId is { } id) ledger.MessageId = id;
        var recipients = reader.ReadArrayHeader();
        ledger.Recipients = new List<RecipientState>(recipients);
        for (var i = 0; i < recipients; i++)
        {
            var fields = reader.ReadArrayHeader();
            var r = new RecipientState { Email = reader.ReadString()!, Provider = reader.ReadInt32(), Flags = reader.ReadInt32() };
            var rbits = reader.ReadInt32();
            r.Simulator = (rbits & Simulator) != 0;
            r.CountedSent = (rbits & CountedSent) != 0;
            if (!reader.TryReadNil())
            {
                var moves = reader.ReadArrayHeader();
                r.Moves = new List<long>(moves);
                for (var m = 0; m < moves; m++) r.Moves.Add(reader.ReadInt64() + (sentAt << 4));
            }
            ArrayLayout.SkipRest(ref reader, RecipientFields, fields);
            ledger.Recipients.Add(r);
        }
        if (!sets.Fill(ledger, reader.ReadUInt64())) EngineMetrics.MissingDimensionSets.Inc();
        ArrayLayout.SkipRest(ref reader, Fields, count);
        return ledger;
    }
}
