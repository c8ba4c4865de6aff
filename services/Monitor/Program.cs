using ReputationMonitor.Cli;

return await MonitorCli.Build().Parse(args).InvokeAsync();
