using Confluent.Kafka;
using Streamiz.Kafka.Net.SerDes;
using ReputationMonitor.Engine;
using ReputationMonitor.Engine.State;

namespace ReputationMonitor.StreamizRuntime;

/// <summary>
/// The by-account records under Streamiz (MessagePack: only this service reads them): an unreadable one is handed on marked (<see cref="StreamInput.UnreadableReason"/>)
/// instead of throwing, which would stop the stream; the transformer sends it to the DLQ, as the partition runtime does.
/// </summary>
public sealed class RepartitionSerDes : AbstractSerDes<StreamInput>
{
    public override byte[] Serialize(StreamInput data, SerializationContext context) => data is null ? null! : StateCodec.Encode(data);

    public override StreamInput Deserialize(byte[] data, SerializationContext context) => StreamInput.Read(data ?? []);
}
