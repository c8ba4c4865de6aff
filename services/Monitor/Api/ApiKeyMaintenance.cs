using System.Text.Json;
using ReputationMonitor.Persistence;

namespace ReputationMonitor.Api;

/// <summary>
/// Keeps <see cref="ApiKeyRegistry"/> in step with the issued keys in PostgreSQL and writes key use (last use,
/// hourly audit records). A database outage keeps the last known keys; it does not lock operators out.
/// </summary>
public sealed class ApiKeyMaintenance(ApiKeyRegistry registry, ApiKeyUsage usage, ApiKeyStore keys, OperatorStore audit,
    ILogger<ApiKeyMaintenance> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    public override async Task StartAsync(CancellationToken ct)
    {
        await RefreshAsync(ct); // issued keys work from the first request
        await base.StartAsync(ct);
    }

    public async Task RefreshAsync(CancellationToken ct) => registry.SetIssued(await keys.ListAsync(ct));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var (lastUsed, uses) = usage.Drain();
            var (touched, audited) = (false, 0);
            try
            {
                await RefreshAsync(stoppingToken);
                try
                {
                    await keys.TouchAsync(lastUsed, stoppingToken);
                }
                catch (Npgsql.PostgresException e)
                {
                    // Last-use times are a convenience; the audit rows below must not wait behind them.
                    logger.LogWarning("Could not record the keys' last use ({Error})", e.MessageText);
                }
                touched = true;
                foreach (var u in uses)
                {
                    await audit.AuditAsync(u.Name, "key.used", "api-key", u.Name, null,
                        JsonSerializer.Serialize(new KeyUseDetail(u.Role, u.Method, u.Path, u.At), ApiJsonContext.Default.KeyUseDetail), stoppingToken);
                    audited++;
                }
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
            {
                // The audit trail must show every key that acted: what was not written waits for the next round.
                usage.Return(touched ? new Dictionary<Guid, DateTime>() : lastUsed, uses.Skip(audited));
                logger.LogWarning("API key refresh failed ({Error}); keeping the {Count} keys known and {Pending} key-use records to write",
                    e.Message, registry.Count, uses.Count - audited);
            }
        }
    }
}

public sealed record KeyUseDetail(string Role, string FirstMethod, string FirstPath, DateTime At);
