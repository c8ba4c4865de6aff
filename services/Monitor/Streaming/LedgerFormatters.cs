using MessagePack;
using MessagePack.Formatters;
using MessagePack.Resolvers;
using ReputationMonitor.Core.Join;
using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Streaming;

/// <summary>
/// The message ledger — one per message in flight, the bulk of the stream's state — as a MessagePack array: a
/// contractless map would spell every property name in every ledger, a large part of its bytes.
/// The first element is the layout version. Ledgers stored as maps (the older layout) are still read.
/// </summary>
internal sealed class MessageLedgerFormatter : IMessagePackFormatter<MessageLedger?>
{
    private const int Version = 1, Fields = 18;

    public void Serialize(ref MessagePackWriter writer, MessageLedger? value, MessagePackSerializerOptions options)
    {
        if (!ArrayLayout.TryBeginWrite(ref writer, value, Version, Fields)) return;
        writer.Write(value.MessageId);
        writer.Write(value.AccountId);
        writer.Write(value.SentCounted);
        writer.Write(value.AttemptSeen);
        writer.Write(value.SentAtMs);
        writer.Write(value.LastEventMs);
        writer.Write(value.PendingSinceMs);
        writer.Write(value.PendingSinceWallMs);
        options.Resolver.GetFormatterWithVerify<List<NormalizedEvent>?>().Serialize(ref writer, value.Pending, options);
        writer.WriteArrayHeader(value.Recipients.Count);
        foreach (var r in value.Recipients) RecipientStateFormatter.Instance.Serialize(ref writer, r, options);
        writer.Write(value.Tenant);
        writer.Write(value.ConfigurationSet);
        writer.Write(value.SendingPool);
        writer.Write(value.SendingIp);
        writer.Write(value.FromDomain);
        writer.Write(value.CallerIdentity);
        writer.Write(value.CallerIp);
    }

    public MessageLedger? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (!ArrayLayout.TryBegin(ref reader, options, Version, Fields, out var count, out MessageLedger? earlier)) return earlier;
        var ledger = new MessageLedger
        {
            MessageId = reader.ReadString()!,
            AccountId = reader.ReadString()!,
            SentCounted = reader.ReadBoolean(),
            AttemptSeen = reader.ReadBoolean(),
            SentAtMs = reader.ReadInt64(),
            LastEventMs = reader.ReadInt64(),
            PendingSinceMs = reader.ReadInt64(),
            PendingSinceWallMs = reader.ReadInt64(),
            Pending = options.Resolver.GetFormatterWithVerify<List<NormalizedEvent>?>().Deserialize(ref reader, options),
        };
        var recipients = reader.ReadArrayHeader();
        ledger.Recipients = new List<RecipientState>(recipients);
        for (var i = 0; i < recipients; i++) ledger.Recipients.Add(RecipientStateFormatter.Instance.Deserialize(ref reader, options)!);
        ledger.Tenant = reader.ReadString();
        ledger.ConfigurationSet = reader.ReadString();
        ledger.SendingPool = reader.ReadString();
        ledger.SendingIp = reader.ReadString();
        ledger.FromDomain = reader.ReadString();
        ledger.CallerIdentity = reader.ReadString();
        ledger.CallerIp = reader.ReadString();
        ArrayLayout.SkipRest(ref reader, Fields, count);
        return ledger;
    }
}

/// <summary>A recipient of a ledger as an array: [email, provider, flags, simulator, countedSent, moves].</summary>
internal sealed class RecipientStateFormatter : IMessagePackFormatter<RecipientState?>
{
    public static readonly RecipientStateFormatter Instance = new();
    private const int Fields = 6;

    public void Serialize(ref MessagePackWriter writer, RecipientState? value, MessagePackSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }
        writer.WriteArrayHeader(Fields);
        writer.Write(value.Email);
        writer.Write(value.Provider);
        writer.Write(value.Flags);
        writer.Write(value.Simulator);
        writer.Write(value.CountedSent);
        if (value.Moves is null) writer.WriteNil();
        else
        {
            writer.WriteArrayHeader(value.Moves.Count);
            foreach (var move in value.Moves) writer.Write(move);
        }
    }

    public RecipientState? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (reader.TryReadNil()) return null;
        if (reader.NextMessagePackType == MessagePackType.Map)
            return ContractlessStandardResolver.Instance.GetFormatterWithVerify<RecipientState>().Deserialize(ref reader, options);
        var count = reader.ReadArrayHeader();
        var r = new RecipientState
        {
            Email = reader.ReadString()!,
            Provider = reader.ReadInt32(),
            Flags = reader.ReadInt32(),
            Simulator = reader.ReadBoolean(),
            CountedSent = reader.ReadBoolean(),
        };
        if (!reader.TryReadNil())
        {
            var moves = reader.ReadArrayHeader();
            r.Moves = new List<long>(moves);
            for (var i = 0; i < moves; i++) r.Moves.Add(reader.ReadInt64());
        }
        ArrayLayout.SkipRest(ref reader, Fields, count);
        return r;
    }
}

/// <summary>
/// How the stream's array layouts are read: nil; a map, the older layout, written with the contractless resolver and
/// read by it; or <c>[version, fields...]</c>, where a later layout may have added fields at the end.
/// </summary>
internal static class ArrayLayout
{
    /// <returns>False for null (written as nil); otherwise the array header and the layout version are written.</returns>
    public static bool TryBeginWrite<T>(ref MessagePackWriter writer, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] T? value, int version,
        int fields) where T : class
    {
        if (value is null)
        {
            writer.WriteNil();
            return false;
        }
        writer.WriteArrayHeader(fields);
        writer.Write(version);
        return true;
    }

    /// <returns>True when an array of this layout follows (its version read); otherwise <paramref name="earlier"/> is the value.</returns>
    public static bool TryBegin<T>(ref MessagePackReader reader, MessagePackSerializerOptions options, int version, int fields, out int count,
        out T? earlier) where T : class
    {
        count = 0;
        earlier = null;
        if (reader.TryReadNil()) return false;
        if (reader.NextMessagePackType == MessagePackType.Map)
        {
            earlier = ContractlessStandardResolver.Instance.GetFormatterWithVerify<T>().Deserialize(ref reader, options);
            return false;
        }
        count = reader.ReadArrayHeader();
        var found = reader.ReadInt32();
        if (found != version || count < fields)
            throw new MessagePackSerializationException($"{typeof(T).Name} layout {found} with {count} fields is not known");
        return true;
    }

    /// <summary>Skips the fields a later layout added after the <paramref name="read"/> this one knows.</summary>
    public static void SkipRest(ref MessagePackReader reader, int read, int count)
    {
        for (var extra = read; extra < count; extra++) reader.Skip();
    }
}
