using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ReputationMonitor.Configuration;
using ReputationMonitor.Kafka;
using ReputationMonitor.Persistence;
using ReputationMonitor.Engine;
using ReputationMonitor.Observability;

namespace ReputationMonitor.Api;

public static class SystemApi
{
    public static RouteGroupBuilder MapSystemApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/system").WithTags("System").RequireAuthorization(Policies.Viewer);
        group.MapGet("/", GetSystem).WithName("GetSystem");
        return group;
    }

    public static async Task<Ok<SystemView>> GetSystem(
        KafkaConnection kafka, Topics topics, IOptions<KafkaOptions> options, StreamStatus stream, ReadStore store, CancellationToken ct)
    {
        bool postgres;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            postgres = await store.PingAsync(timeout.Token);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or OperationCanceledException or TimeoutException)
        {
            postgres = false;
        }
        var n = topics.Names;
        return TypedResults.Ok(new SystemView(
            new KafkaSystemView(kafka.BootstrapServers, kafka.Embedded, options.Value.ApplicationId, new Dictionary<string, string>
            {
                ["sendAttempts"] = n.SendAttempts, ["events"] = n.Events, ["actions"] = n.Actions, ["dlq"] = n.Dlq,
                ["suppressions"] = n.Suppressions, ["accountStats"] = n.AccountStats,
            }),
            stream.State, stream.LastError, postgres,
            typeof(SystemApi).Assembly.GetName().Version?.ToString() ?? "0"));
    }
}
