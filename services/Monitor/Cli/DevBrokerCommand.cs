using System.CommandLine;
using ReputationMonitor.Kafka;

namespace ReputationMonitor.Cli;

/// <summary>
/// <c>monitor dev-broker</c>: the embedded development broker as its own process, so services and tests
/// can restart (or be killed) while the broker and its data stay up.
/// </summary>
public static class DevBrokerCommand
{
    public static Command Create()
    {
        var addressFile = new Option<FileInfo?>("--address-file") { Description = "Also write the bootstrap address to this file" };
        var brokers = new Option<int>("--brokers") { Description = "Number of mock brokers", DefaultValueFactory = _ => 1 };
        var cmd = new Command("dev-broker", "Run the embedded development Kafka broker (librdkafka mock cluster) until stopped.")
        {
            addressFile, brokers,
        };
        cmd.SetAction(async (result, ct) =>
        {
            using var broker = new EmbeddedKafkaBroker(result.GetValue(brokers));
            Console.Out.WriteLine($"Embedded Kafka broker listening at {broker.BootstrapServers}");
            Console.Out.WriteLine($"  export KAFKA_BOOTSTRAP_SERVERS={broker.BootstrapServers}");
            Console.Out.WriteLine("  (development only: no CreateTopics, topics auto-create with 4 partitions, ~5 MB kept per partition)");
            await Console.Out.FlushAsync(ct);
            if (result.GetValue(addressFile) is { } file)
                await File.WriteAllTextAsync(file.FullName, broker.BootstrapServers + "\n", ct);
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                Console.Out.WriteLine("Embedded Kafka broker stopped.");
            }
            return 0;
        });
        return cmd;
    }
}
