using System.Collections.Concurrent;
using Npgsql;

namespace ReputationMonitor.Persistence;

/// <summary>
/// Tells the API when the stream's answer to an operator command is in PostgreSQL, without the request polling for it:
/// the projections <c>NOTIFY</c> the command id on <see cref="Channel"/> in the transaction that writes the command's
/// decision or suppression change, and this service, <c>LISTEN</c>ing on one connection of its own, completes whoever
/// waits for that id. Any instance's projection can write the answer; every instance hears it.
/// </summary>
public sealed class CommandOutcomes(NpgsqlDataSource db, ILogger<CommandOutcomes> logger) : BackgroundService
{
    public const string Channel = "reputation_command_applied";

    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiting = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the first LISTEN is in place (answers written before it are not heard).</summary>
    public Task Listening => _listening.Task;

    /// <summary>Starts waiting for a command's answer; register before publishing the command, so that a fast answer is not missed.</summary>
    public Waiter Expect(string commandId)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[commandId] = done;
        return new Waiter(this, commandId, done.Task);
    }

    public sealed class Waiter(CommandOutcomes owner, string commandId, Task answered) : IDisposable
    {
        /// <returns>True when the answer was written within <paramref name="timeout"/>.</returns>
        public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct)
        {
            try
            {
                await answered.WaitAsync(timeout, ct);
                return true;
            }
            catch (TimeoutException)
            {
                return false;
            }
        }

        public void Dispose() => owner._waiting.TryRemove(commandId, out _);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var conn = await db.OpenConnectionAsync(stoppingToken);
                conn.Notification += (_, e) =>
                {
                    if (_waiting.TryGetValue(e.Payload, out var done)) done.TrySetResult();
                };
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", conn)) await listen.ExecuteNonQueryAsync(stoppingToken);
                _listening.TrySetResult();
                while (!stoppingToken.IsCancellationRequested) await conn.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or System.IO.IOException)
            {
                // PostgreSQL away: commands are still sent and answered 202 until the listener is back.
                logger.LogWarning("Listening for command answers failed ({Reason}); retrying in 2 s", e.Message);
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
