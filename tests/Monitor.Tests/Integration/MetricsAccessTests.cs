using System.Net;
using System.Net.Sockets;
using ReputationMonitor.Tests.Support;

namespace ReputationMonitor.Tests.Integration;

/// <summary>/metrics is never public: behind a viewer key on the API address, or alone on a port of its own.</summary>
[Collection(ApiCollection.Name)]
public sealed class MetricsAccessTests(KafkaFixture kafka, PostgresFixture postgres)
{
    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    [Fact]
    public async Task On_a_metrics_port_metrics_need_no_key_and_nothing_else_is_served_there()
    {
        var port = FreePort();
        await using var monitor = await MonitorInstance.StartAsync(kafka, postgres, new() { ["Api:MetricsUrl"] = $"http://127.0.0.1:{port}" });
        using var scraper = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var metrics = await scraper.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Contains("reputation_stream_running", await metrics.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await scraper.GetAsync("/v1/system")).StatusCode);

        // The API address no longer serves metrics, even with a key.
        using var viewer = monitor.Client(MonitorInstance.ViewerKey);
        Assert.Equal(HttpStatusCode.NotFound, (await viewer.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/v1/system")).StatusCode);

        // The port is the connection's, not the Host header's (which the client writes).
        using var anonymous = monitor.Client(key: null);
        using var forged = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { Host = $"127.0.0.1:{port}" } };
        Assert.NotEqual(HttpStatusCode.OK, (await anonymous.SendAsync(forged)).StatusCode);
    }
}
