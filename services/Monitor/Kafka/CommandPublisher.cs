using System.Text.Json;
using Confluent.Kafka;
using ReputationMonitor.Core;
using ReputationMonitor.Core.Rules;
using ReputationMonitor.Engine;

namespace ReputationMonitor.Kafka;

/// <summary>Sends operator commands, signed, to the stream (which owns statuses). One long-lived idempotent producer.</summary>
public sealed class CommandPublisher : IDisposable
{
    private readonly IProducer<string, byte[]> _producer;
    private readonly Topics _topics;
    private readonly CommandSignature _signature;

    public CommandPublisher(KafkaConnection kafka, Topics topics, CommandSignature signature, ILogger<CommandPublisher> logger)
    {
        _topics = topics;
        _signature = signature;
        _producer = new ProducerBuilder<string, byte[]>(kafka.Clients.Configure(new ProducerConfig
            {
                EnableIdempotence = true,
                Acks = Acks.All,
                LingerMs = 0,
            }))
            .SetErrorHandler((_, e) =>
            {
                if (e.IsFatal) logger.LogCritical("Fatal error in the command producer: {Reason}", e.Reason);
                else logger.LogWarning("Command producer: {Reason}", e.Reason);
            })
            .Build();
    }

    public async Task PublishAsync(OperatorCommand command, CancellationToken ct) =>
        await _producer.ProduceAsync(_topics.Commands, new Message<string, byte[]>
        {
            Key = CommandRules.AccountOf(command), // the account's partition, for its configuration sets and tenants too
            Value = JsonSerializer.SerializeToUtf8Bytes(_signature.Sign(command), CoreJsonContext.Default.OperatorCommand),
        }, ct);

    public void Dispose()
    {
        _producer.Flush(TimeSpan.FromSeconds(5));
        _producer.Dispose();
    }
}
