using Microsoft.Extensions.Diagnostics.HealthChecks;
using ReputationMonitor.Persistence;
using ReputationMonitor.Observability;

namespace ReputationMonitor.Api;

public sealed class StreamHealthCheck(StreamStatus status) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        Task.FromResult(status.IsRunning
            ? HealthCheckResult.Healthy("stream RUNNING")
            : HealthCheckResult.Unhealthy($"stream {status.State}{(status.LastError is null ? "" : ": " + status.LastError)}"));
}

/// <summary>Liveness: red once the stream has failed (either runtime), so that the process is restarted instead of serving
/// the last statuses as if all were well. Starting, rebalancing and shutting down are alive.</summary>
public sealed class StreamLivenessCheck(StreamStatus status) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        Task.FromResult(status.HasFailed
            ? HealthCheckResult.Unhealthy($"stream {status.State}: {status.LastError}")
            : HealthCheckResult.Healthy($"stream {status.State}"));
}

public sealed class PostgresHealthCheck(ReadStore store, ProjectionWorker projections, TraceWriter traces) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await store.PingAsync(timeout.Token);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or OperationCanceledException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"PostgreSQL unreachable: {e.Message}");
        }
        return projections.Failing || traces.Failing
            ? HealthCheckResult.Unhealthy("PostgreSQL writes are failing; projections are paused and will resume")
            : HealthCheckResult.Healthy("PostgreSQL reachable");
    }
}
