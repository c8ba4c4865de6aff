using Confluent.Kafka;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.SerDes;

namespace ReputationMonitor.StreamizRuntime;

/// <summary>
/// The stream's configuration, with one Streamiz hot spot taken out: every record a sink produces asks
/// <c>StreamsProducer.PartitionsFor</c> for the topic's partition count, which rebuilds the whole admin configuration
/// (<c>ToAdminConfig("")</c>: a union of every setting plus the library's name and version read by reflection) just to
/// read one refresh interval, on every record produced. That one call is
/// answered from a copy made once; every other admin configuration is built as Streamiz builds it.
/// </summary>
public sealed class MonitorStreamConfig : StreamConfig<ByteArraySerDes, ByteArraySerDes>, IStreamConfig
{
    private AdminClientConfig? _partitionLookup;

    AdminClientConfig IStreamConfig.ToAdminConfig(string clientId) =>
        clientId.Length == 0 ? _partitionLookup ??= ToAdminConfig(clientId) : ToAdminConfig(clientId);
}
