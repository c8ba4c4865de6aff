using MessagePack;
using MessagePack.Formatters;
using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Engine.State;

/// <summary>
/// A parsed event on the by-account repartition (and in a ledger while it waits for its attempt) as a MessagePack
/// array: a contractless map would spell its 26 property names in every record, a large part of its bytes. The first
/// element is the layout version; events written as maps (the older layout) are still read.
/// </summary>
internal sealed class NormalizedEventFormatter : IMessagePackFormatter<NormalizedEvent?>
{
    public static readonly NormalizedEventFormatter Instance = new();
    private const int Version = 1, Fields = 27;

    public void Serialize(ref MessagePackWriter writer, NormalizedEvent? e, MessagePackSerializerOptions options)
    {
        if (!ArrayLayout.TryBeginWrite(ref writer, e, Version, Fields)) return;
        writer.Write((int)e.Kind);
        writer.Write(e.MessageId);
        writer.Write(e.AccountId);
        writer.Write(e.TimestampMs);
        writer.Write(e.MailTimestampMs);
        writer.Write(e.EventKey);
        writer.Write(e.AttemptId);
        writer.Write(e.Source);
        writer.Write(e.FromDomain);
        writer.Write(e.ConfigurationSet);
        writer.Write(e.Tenant);
        writer.Write(e.SendingPool);
        writer.Write(e.SendingIp);
        writer.Write(e.CallerIdentity);
        writer.Write(e.CallerIp);
        writer.WriteArrayHeader(e.Destinations.Length);
        foreach (var d in e.Destinations) writer.Write(d);
        writer.WriteArrayHeader(e.Recipients.Length);
        foreach (var r in e.Recipients)
        {
            writer.WriteArrayHeader(3);
            writer.Write(r.Email);
            writer.Write(r.Status);
            writer.Write(r.Diagnostic);
        }
        writer.Write(e.Accepted);
        writer.Write(e.ErrorCode);
        writer.Write(e.HasOneClickUnsubscribe);
        writer.Write(e.BounceType);
        writer.Write(e.BounceSubType);
        writer.Write(e.ComplaintFeedbackType);
        writer.Write(e.DelayType);
        writer.Write(e.ReportingMta);
        writer.Write(e.Detail);
    }

    public NormalizedEvent? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (!ArrayLayout.TryBegin(ref reader, nameof(NormalizedEvent), Version, Fields, out var count)) return null;
        var e = new NormalizedEvent
        {
            Kind = (EventKind)reader.ReadInt32(),
            MessageId = reader.ReadString(),
            AccountId = reader.ReadString()!,
            TimestampMs = reader.ReadInt64(),
            MailTimestampMs = reader.ReadInt64(),
            EventKey = reader.ReadString()!,
            AttemptId = reader.ReadString(),
            Source = reader.ReadString(),
            FromDomain = reader.ReadString(),
            ConfigurationSet = reader.ReadString(),
            Tenant = reader.ReadString(),
            SendingPool = reader.ReadString(),
            SendingIp = reader.ReadString(),
            CallerIdentity = reader.ReadString(),
            CallerIp = reader.ReadString(),
        };
        e.Destinations = new string[reader.ReadArrayHeader()];
        for (var i = 0; i < e.Destinations.Length; i++) e.Destinations[i] = reader.ReadString()!;
        e.Recipients = new RecipientDetail[reader.ReadArrayHeader()];
        for (var i = 0; i < e.Recipients.Length; i++)
        {
            var fields = reader.ReadArrayHeader();
            e.Recipients[i] = new RecipientDetail { Email = reader.ReadString()!, Status = reader.ReadString(), Diagnostic = reader.ReadString() };
            ArrayLayout.SkipRest(ref reader, 3, fields);
        }
        e.Accepted = reader.ReadBoolean();
        e.ErrorCode = reader.ReadString();
        e.HasOneClickUnsubscribe = reader.ReadBoolean();
        e.BounceType = reader.ReadString();
        e.BounceSubType = reader.ReadString();
        e.ComplaintFeedbackType = reader.ReadString();
        e.DelayType = reader.ReadString();
        e.ReportingMta = reader.ReadString();
        e.Detail = reader.ReadString();
        ArrayLayout.SkipRest(ref reader, Fields, count);
        return e;
    }
}
