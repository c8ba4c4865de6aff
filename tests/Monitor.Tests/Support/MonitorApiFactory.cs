using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Hosting;
using ReputationMonitor.Hosting;

namespace ReputationMonitor.Tests.Support;

/// <summary>
/// WebApplicationFactory over the whole service (stream, projections, API) on the in-memory TestServer, against
/// the fixtures' real broker and a database of its own. The host is the service's own <see cref="MonitorApp.Build"/>
/// (the CLI entry point parses verbs, so the factory builds the application directly instead of running Main).
/// </summary>
public sealed class MonitorApiFactory(string bootstrapServers, string connectionString) : WebApplicationFactory<Program>
{
    public string Prefix { get; } = MonitorInstance.NewPrefix();
    public string SendAttemptsTopic => $"{Prefix}.email.send-attempts";
    public string EventsTopic => $"{Prefix}.email.events";
    public string BootstrapServers => bootstrapServers;

    /// <summary>A factory whose service is ready (stream RUNNING, PostgreSQL reachable).</summary>
    public static async Task<MonitorApiFactory> StartAsync(string bootstrapServers, string connectionString)
    {
        var factory = new MonitorApiFactory(bootstrapServers, connectionString);
        using var anonymous = factory.Client(null);
        await Poll.UntilAsync(async () => (await anonymous.GetAsync("/readyz")).StatusCode, s => s == System.Net.HttpStatusCode.OK,
            TimeSpan.FromSeconds(60), "the service to become ready");
        return factory;
    }

    protected override IHost CreateHost(IHostBuilder builder)
    {
        var app = MonitorApp.Build([], MonitorInstance.Settings(Prefix, bootstrapServers, connectionString),
            configure: b => b.WebHost.UseTestServer());
        app.Start();
        return app;
    }

    public HttpClient Client(string? key)
    {
        var client = CreateClient();
        if (key is not null) client.DefaultRequestHeaders.Authorization = new("Bearer", key);
        return client;
    }
}
