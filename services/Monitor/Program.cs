using ReputationMonitor.Cli;

return await MonitorCli.Build().Parse(args).InvokeAsync();

/// <summary>The entry point; public so that WebApplicationFactory tests can name the assembly by it.</summary>
public partial class Program;
