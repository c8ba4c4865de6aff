using System.CommandLine;

namespace ReputationMonitor.Cli;

public static class MonitorCli
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Reputation Monitor: email sender reputation on Kafka.");
        return root;
    }
}
