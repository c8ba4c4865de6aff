using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using ReputationMonitor.Configuration;
using ReputationMonitor.Core;
using ReputationMonitor.Core.Rules;
using ReputationMonitor.Tests.Support;
using static ReputationMonitor.Tests.Support.SesJson;
using ReputationMonitor.Observability;
using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Tests.Integration;

/// <summary>
/// Records written to blind the monitor, through the broker on both runtimes: an event dated in the far future (it would
/// move stream time past every honest event) and commands that are unsigned, forged or out of range. Each goes to the
/// DLQ with its reason; honest traffic and signed commands still take effect; the stream never stops, and a restart
/// does not fail on them again.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class HostileInputTests(KafkaFixture kafka, PostgresFixture postgres)
{
    [Theory]
    [InlineData(StreamRuntime.Streamiz)]
    [InlineData(StreamRuntime.Partition)]
    public async Task A_far_future_event_does_not_switch_enforcement_off(StreamRuntime runtime)
    {
        const string account = "970000000001";
        await using var monitor = await MonitorInstance.StartAsync(kafka, postgres, MonitorInstance.OnRuntime(runtime));
        using var viewer = monitor.Client(MonitorInstance.ViewerKey);

        var future = Send("ff-future", account, DateTimeOffset.Parse("9999-12-31T23:59:59Z"), "x@gmail.com");
        await monitor.ProduceAsync(monitor.EventsTopic, [future]);
        // Then an old purchased list: 400 recipients, 15 % hard bounces.
        var attempts = new List<string>();
        var events = new List<string>();
        for (var i = 0; i < 400; i++)
        {
            var at = T0.AddSeconds(i);
            attempts.Add(SesJson.Attempt($"ff-{i}", account, at, $"u{i}@gmail.com"));
            events.Add(i < 60 ? Bounce($"ff-{i}", account, at, at.AddSeconds(20), $"u{i}@gmail.com") : Delivery($"ff-{i}", account, at, at.AddSeconds(20), $"u{i}@gmail.com"));
        }
        await monitor.ProduceAsync(monitor.SendAttemptsTopic, attempts);
        await monitor.ProduceAsync(monitor.EventsTopic, events);

        var status = await Poll.UntilAsync(() => viewer.GetOrNullAsync($"/v1/accounts/{account}"),
            a => a?.GetProperty("status").GetString() == EntityStatus.Paused && a.Value.GetProperty("totals").GetProperty("hardBounces").GetInt64() == 60,
            TimeSpan.FromSeconds(60), "the list upload to pause the account, every bounce counted");
        Assert.Equal(60, status!.Value.GetProperty("totals").GetProperty("hardBounces").GetInt64());
        // The partition's event time is the newest honest event's, not 9999's: reads say how far the stream has got.
        var newest = T0.AddSeconds(399 + 20);
        await Poll.UntilAsync(() => viewer.GetOrNullAsync($"/v1/accounts/{account}"),
            a => a?.GetProperty("asOf").GetDateTimeOffset() == newest, TimeSpan.FromSeconds(30), "asOf at the newest honest event");
        // The breakdown reads the entity statistics, projected from their own topic: the same asOf, once that projection has it.
        await Poll.UntilAsync(() => viewer.GetOrNullAsync($"/v1/accounts/{account}/breakdown?by=provider"),
            b => b?.GetProperty("asOf") is { ValueKind: System.Text.Json.JsonValueKind.String } asOf && asOf.GetDateTimeOffset() == newest,
            TimeSpan.FromSeconds(30), "asOf on the breakdown at the newest honest event");

        var dead = Assert.Single(monitor.ReadTopic(monitor.DlqTopic, r => r.Count >= 1, TimeSpan.FromSeconds(30)));
        Assert.StartsWith("timestamp_in_future: ", Header(dead, "reason"));
        Assert.Equal(monitor.EventsTopic, Header(dead, "source-topic"));
        Assert.Equal(future, Encoding.UTF8.GetString(dead.Message.Value));
    }

    [Theory]
    [InlineData(StreamRuntime.Streamiz)]
    [InlineData(StreamRuntime.Partition)]
    public async Task Unsigned_forged_and_out_of_range_commands_go_to_the_dlq_and_signed_ones_apply(StreamRuntime runtime)
    {
        var settings = MonitorInstance.OnRuntime(runtime);
        var monitor = await MonitorInstance.StartAsync(kafka, postgres, settings);
        var stream = monitor.Service<StreamStatus>();
        var running = stream.TimesRunning;
        var signed = new CommandSignature(MonitorInstance.CommandSigningKey);
        var forger = new CommandSignature("not-the-deployment-s-key-0123456789abcdef");
        OperatorCommand Pause(string entity) => new()
        {
            CommandId = Guid.NewGuid().ToString(), Type = OperatorCommand.Pause, Scope = "account", Entity = entity,
            Actor = "test", Reason = "hostile input test", At = DateTimeOffset.UtcNow,
        };
        byte[] Json(OperatorCommand c) => JsonSerializer.SerializeToUtf8Bytes(c, CoreJsonContext.Default.OperatorCommand);

        var extend = Pause("970000000013");
        (extend.Type, extend.ReviewId, extend.ExtendBy) = (OperatorCommand.Extend, Guid.NewGuid().ToString(), TimeSpan.FromDays(3_000_000));
        var teleport = Pause("970000000013");
        teleport.Type = "teleport";
        var bulk = Pause("970000000013");
        (bulk.Type, bulk.Emails) = (OperatorCommand.Suppress, Enumerable.Range(0, 1001).Select(i => $"a{i}@example.com").ToList());
        var later = Pause("970000000013");
        later.At = DateTimeOffset.Parse("9999-01-01T00:00:00Z");
        var slashed = Pause("970000000013/x");
        var hostile = new List<(byte[] Value, string Reason)>
        {
            (Json(Pause("970000000013")), "unauthorized_command"),
            (Json(forger.Sign(Pause("970000000013"))), "unauthorized_command"),
            (Json(signed.Sign(extend)), "invalid_command"),
            (Json(signed.Sign(teleport)), "invalid_command"),
            (Json(signed.Sign(bulk)), "invalid_command"),
            (Json(signed.Sign(later)), "invalid_command"),
            (Json(signed.Sign(slashed)), "invalid_command"),
            ("{not json"u8.ToArray(), "invalid_command"),
            ([], "invalid_command"),
        };
        var tampered = signed.Sign(Pause("970000000014"));
        tampered.Entity = "970000000013"; // signed for another account
        hostile.Add((Json(tampered), "unauthorized_command"));

        await monitor.ProduceRawAsync(monitor.Prefix + ".reputation.commands",
            [Json(signed.Sign(Pause("970000000011"))), .. hostile.Select(h => h.Value), Json(signed.Sign(Pause("970000000012")))]);

        using var viewer = monitor.Client(MonitorInstance.ViewerKey);
        foreach (var account in new[] { "970000000011", "970000000012" })
            await Poll.UntilAsync(() => viewer.GetOrNullAsync($"/v1/accounts/{account}/sending-status"),
                s => s?.GetProperty("status").GetString() == EntityStatus.Paused, TimeSpan.FromSeconds(60), $"the signed pause of {account}");
        var dlq = monitor.ReadTopic(monitor.DlqTopic, r => r.Count >= hostile.Count, TimeSpan.FromSeconds(30));
        Assert.Equal(hostile.Select(h => (Convert.ToBase64String(h.Value), h.Reason)).Order(),
            dlq.Select(r => (Convert.ToBase64String(r.Message.Value ?? []), Header(r, "reason").Split(':')[0])).Order());
        Assert.All(dlq, r => Assert.Equal(monitor.Prefix + ".reputation.commands", Header(r, "source-topic")));
        foreach (var account in new[] { "970000000013", "970000000014" })
            Assert.Equal(EntityStatus.Healthy, (await viewer.GetOrNullAsync($"/v1/accounts/{account}/sending-status"))!.Value.GetProperty("status").GetString());
        Assert.True(stream.IsRunning);
        Assert.Equal(running, stream.TimesRunning);

        // A restart reads on from the committed offsets: nothing fails again, nothing is dead-lettered twice.
        await monitor.DisposeAsync();
        await using var restarted = await MonitorInstance.StartAsync(kafka, postgres, settings, shareWith: monitor);
        await restarted.ProduceRawAsync(restarted.Prefix + ".reputation.commands", [Json(signed.Sign(Pause("970000000015")))]);
        using var again = restarted.Client(MonitorInstance.ViewerKey);
        await Poll.UntilAsync(() => again.GetOrNullAsync("/v1/accounts/970000000015/sending-status"),
            s => s?.GetProperty("status").GetString() == EntityStatus.Paused, TimeSpan.FromSeconds(60), "a signed pause after the restart");
        Assert.Equal(hostile.Count, restarted.ReadTopic(restarted.DlqTopic, r => r.Count > hostile.Count, TimeSpan.FromSeconds(10)).Count);
        Assert.True(restarted.Service<StreamStatus>().IsRunning);
    }

    private static string Header(ConsumeResult<string?, byte[]> r, string name) => Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes(name));
}
