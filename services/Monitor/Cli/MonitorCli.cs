using System.CommandLine;
using ReputationMonitor.Hosting;

namespace ReputationMonitor.Cli;

/// <summary>The <c>monitor</c> executable's verbs.</summary>
public static class MonitorCli
{
    public static readonly Option<string?> BootstrapServers = new("--bootstrap-servers")
    {
        Description = "Kafka brokers (default: configuration, then KAFKA_BOOTSTRAP_SERVERS; 'run' starts an embedded broker when none)",
        Recursive = true,
    };

    public static RootCommand Build()
    {
        var root = new RootCommand("Reputation Monitor: email sender reputation on Kafka.");
        root.Options.Add(BootstrapServers);
        root.Subcommands.Add(RunCommand());
        root.Subcommands.Add(DevBrokerCommand.Create());
        root.Subcommands.Add(ReplayCommand.Create());
        root.Subcommands.Add(MigrateCommand.Create());
        root.Subcommands.Add(ClassifyCommand.Create());
        root.Subcommands.Add(SimulateCommand.Create());
        root.Subcommands.Add(BacktestCommand.Create());
        return root;
    }

    /// <summary>The broker list for a verb: the option, else configuration / environment.</summary>
    public static string? ResolveBootstrap(ParseResult result) =>
        result.GetValue(BootstrapServers) is { Length: > 0 } b ? b
        : Environment.GetEnvironmentVariable("Kafka__BootstrapServers") is { Length: > 0 } c ? c
        : Environment.GetEnvironmentVariable("KAFKA_BOOTSTRAP_SERVERS") is { Length: > 0 } e ? e : null;

    /// <summary>
    /// The verb's Kafka clients: the broker list (<see cref="ResolveBootstrap"/>) and the security settings of the
    /// environment (<c>Kafka__SecurityProtocol</c>, <c>Kafka__SaslUsername</c>, ...), as the service reads them.
    /// </summary>
    public static Kafka.KafkaClients? ResolveClients(ParseResult result)
    {
        if (ResolveBootstrap(result) is not { } bootstrap) return null;
        var options = new Configuration.KafkaOptions();
        new Microsoft.Extensions.Configuration.ConfigurationBuilder().AddEnvironmentVariables().Build()
            .GetSection(Configuration.KafkaOptions.Section).Bind(options);
        return new Kafka.KafkaClients(bootstrap, options);
    }

    private static Command RunCommand()
    {
        var run = new Command("run", "Run the service: stream processor, projections and the operator API. " +
            "Other configuration keys may follow as --Section:Key=value.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        run.SetAction(async (result, ct) =>
        {
            var settings = new Dictionary<string, string?>();
            if (result.GetValue(BootstrapServers) is { Length: > 0 } b) settings["Kafka:BootstrapServers"] = b;
            await using var app = MonitorApp.Build(result.UnmatchedTokens.ToArray(), settings);
            await app.RunAsync(ct);
            return 0;
        });
        return run;
    }
}
