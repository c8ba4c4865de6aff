using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Npgsql;
using ReputationMonitor.Tests.Support;

namespace ReputationMonitor.Tests.Integration;

/// <summary>
/// The service as a role without superuser rights (migrations as the owner): it works — keys issued and revoked, commands
/// audited — but it cannot rewrite the audit log or write a key of its own into <c>api_keys</c>; and the audit log
/// refuses UPDATE, DELETE and TRUNCATE to the owner too.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class LeastPrivilegeTests(KafkaFixture kafka, PostgresFixture postgres)
{
    [Fact]
    public async Task The_service_role_appends_to_the_audit_log_and_writes_keys_only_through_the_key_routes()
    {
        var owner = await postgres.CreateDatabaseAsync();
        var role = "monitor_app_" + Guid.NewGuid().ToString("N")[..8];
        await using (var db = new NpgsqlConnection(owner))
            await db.ExecuteAsync($"CREATE ROLE {role} LOGIN PASSWORD 'app-password-for-tests' NOSUPERUSER NOCREATEDB NOCREATEROLE");
        var app = new NpgsqlConnectionStringBuilder(owner) { Username = role, Password = "app-password-for-tests" }.ConnectionString;
        await using var monitor = await MonitorInstance.StartAsync(kafka, postgres, new()
        {
            ["Postgres:ConnectionString"] = app, ["Postgres:MigrationConnectionString"] = owner, ["Postgres:AppRole"] = role,
        });

        // Through the API, as that role: a key issued and revoked, an operator command audited.
        using var admin = monitor.Client(MonitorInstance.AdminKey);
        var issued = await admin.PostAsJsonAsync("/v1/keys", new { name = "ci-reader", role = "viewer", reason = "least privilege test" });
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var id = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/v1/keys/{id}?reason=done")).StatusCode);
        var paused = await admin.PostAsJsonAsync("/v1/accounts/990000000001/pause", new { reason = "least privilege test" });
        Assert.True(paused.IsSuccessStatusCode, $"{paused.StatusCode}");

        await using var asApp = new NpgsqlConnection(app);
        Assert.True(await asApp.ExecuteScalarAsync<long>("SELECT count(*) FROM audit_log") >= 3);
        await asApp.ExecuteAsync("INSERT INTO audit_log (actor, action, scope, entity_id) VALUES ('test', 'probe', 'account', '1')");
        foreach (var statement in new[]
                 {
                     "UPDATE audit_log SET reason = 'rewritten'", "DELETE FROM audit_log", "TRUNCATE audit_log",
                     "INSERT INTO api_keys (id, name, role, key_hash, key_prefix, created_by) VALUES (gen_random_uuid(), 'mine', 'admin', '\\x00', 'x', 'me')",
                     "UPDATE api_keys SET role = 'admin'", "DELETE FROM api_keys",
                 })
        {
            var e = await Assert.ThrowsAsync<PostgresException>(() => asApp.ExecuteAsync(statement));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, e.SqlState);
        }
        // Not a matter of grants alone: the owner cannot rewrite the audit log either.
        await using var asOwner = new NpgsqlConnection(owner);
        foreach (var statement in new[] { "UPDATE audit_log SET reason = 'rewritten'", "DELETE FROM audit_log", "TRUNCATE audit_log" })
        {
            var e = await Assert.ThrowsAsync<PostgresException>(() => asOwner.ExecuteAsync(statement));
            Assert.Contains("append-only", e.MessageText);
        }
    }
}
