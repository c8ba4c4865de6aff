using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Model;
using ReputationMonitor.Core.Rules;

namespace ReputationMonitor.Core.Tests;

/// <summary>Every transition of the review lifecycle, with the clock passed in explicitly (no sleeps).</summary>
public sealed class StatusMachineTests
{
    private const string Scope = "account", Id = "111122223333";
    private static readonly long T0 = DateTimeOffset.Parse("2026-11-20T09:00:00Z").ToUnixTimeMilliseconds();
    private static readonly long Hour = 3_600_000;
    private readonly WindowedCounters _counters = new(new WindowOptions());
    private readonly StatusMachine _machine = new(new RateRules(new RateThresholds()), TimeSpan.FromHours(72));
    private readonly EntityState _state = new();
    private readonly EntityWindows _windows = new();

    private WindowSnapshot Traffic(int sent, int hard, long at = 0)
    {
        _counters.Add(_windows, Providers.Gmail, Counters.Sent, T0 + at, sent);
        if (hard > 0) _counters.Add(_windows, Providers.Gmail, Counters.HardBounces, T0 + at, hard);
        return Window();
    }

    private WindowSnapshot Window() => _counters.Snapshot(_windows, WindowKind.Long, _state.EvaluateFromMs);

    private Decision? Rates(WindowSnapshot w, long now) => _machine.OnRates(Scope, Id, _state, w, [], now);
    private Decision? Tick(long now) => _machine.OnTick(Scope, Id, _state, Window(), [], now);

    private Decision? Command(string type, long now, string? outcome = null, TimeSpan? extendBy = null, string? reviewId = null, string? id = null) =>
        _machine.OnCommand(Scope, Id, _state, Window(), [], new OperatorCommand
        {
            CommandId = id ?? Guid.NewGuid().ToString(), Type = type, Scope = Scope, Entity = Id, Actor = "alice",
            Reason = "checked with the customer", Outcome = outcome, ExtendBy = extendBy, ReviewId = reviewId ?? _state.Review?.Id,
        }, now);

    [Fact]
    public void Review_opens_with_a_72_hour_deadline_and_heals_when_rates_recover_by_then()
    {
        var opened = Rates(Traffic(1000, 60), now: T0);
        Assert.Equal(("healthy", "under_review", "bounce-rate-review"), (opened!.From, opened.To, opened.Rule));
        Assert.Equal(T0 + 72 * Hour, opened.Review!.Deadline.ToUnixTimeMilliseconds());
        Assert.Equal("open", opened.Review.Outcome);

        Assert.Null(Tick(T0 + 71 * Hour));                 // not yet
        Traffic(1000, 0, at: 20 * Hour);                   // clean traffic: 60 / 2000 = 3 %
        var healed = Tick(T0 + 72 * Hour);
        Assert.Equal(("under_review", "healthy", StatusMachine.ReviewHealed), (healed!.From, healed.To, healed.Rule));
        Assert.Equal("healed", healed.Review!.Outcome);
        Assert.Equal(opened.Review.Id, healed.Review.Id);
        Assert.Null(_state.Review);
    }

    [Fact]
    public void Review_escalates_to_paused_at_the_deadline_when_rates_are_still_high()
    {
        Rates(Traffic(1000, 60), now: T0);
        var escalated = Tick(T0 + 72 * Hour);
        Assert.Equal(("under_review", "paused", StatusMachine.ReviewEscalated), (escalated!.From, escalated.To, escalated.Rule));
        Assert.Equal("escalated", escalated.Review!.Outcome);
        Assert.Equal(0.05, escalated.Evidence.Threshold.Value);
        Assert.Null(Tick(T0 + 100 * Hour));
    }

    [Fact]
    public void Crossing_the_pause_threshold_pauses_at_once_from_healthy_or_from_review()
    {
        Rates(Traffic(1000, 60), now: T0);
        var paused = Rates(Traffic(0, 60), now: T0 + Hour);   // 120 / 1000 = 12 %
        Assert.Equal(("under_review", "paused", RateRules.BouncePause), (paused!.From, paused.To, paused.Rule));
        Assert.Equal("escalated", paused.Review!.Outcome);

        var fresh = new StatusMachineTests();
        var direct = fresh.Rates(fresh.Traffic(1000, 150), now: T0);
        Assert.Equal(("healthy", "paused"), (direct!.From, direct.To));
        Assert.Null(direct.Review);
    }

    [Fact]
    public void Rates_never_lower_a_status()
    {
        Rates(Traffic(1000, 150), now: T0);
        Assert.Null(Rates(Traffic(100_000, 0), now: T0 + Hour));
        Assert.Equal("paused", _state.Status);
    }

    [Fact]
    public void Only_an_operator_resumes_and_the_resumed_account_gets_a_fresh_start()
    {
        Rates(Traffic(1000, 150), now: T0);
        var resumed = Command(OperatorCommand.Resume, T0 + 2 * Hour);
        Assert.Equal(("paused", "healthy", StatusMachine.OperatorResume, "alice"), (resumed!.From, resumed.To, resumed.Rule, resumed.Actor));
        Assert.Equal("checked with the customer", resumed.Reason);

        // The traffic that paused it no longer counts; new clean traffic keeps it healthy.
        Assert.Null(Rates(Traffic(500, 0, at: 3 * Hour), now: T0 + 3 * Hour));
        Assert.Equal(500, Window().Totals.Sent);
        // New bad traffic is judged on its own.
        Assert.Equal("paused", Rates(Traffic(0, 60, at: 3 * Hour), now: T0 + 3 * Hour)!.To);
    }

    [Fact]
    public void Operator_pause_resolve_and_extend()
    {
        var pause = Command(OperatorCommand.Pause, T0);
        Assert.Equal(("healthy", "paused", StatusMachine.OperatorPause), (pause!.From, pause.To, pause.Rule));
        Assert.Null(Command(OperatorCommand.Pause, T0));                          // already paused: nothing
        Command(OperatorCommand.Resume, T0 + Hour);

        Rates(Traffic(1000, 60, at: 2 * Hour), now: T0 + 2 * Hour);
        var reviewId = _state.Review!.Id;
        var extended = Command(OperatorCommand.Extend, T0 + 3 * Hour, extendBy: TimeSpan.FromHours(24));
        Assert.Equal(("under_review", "under_review", StatusMachine.ReviewExtended), (extended!.From, extended.To, extended.Rule));
        Assert.Equal(T0 + 2 * Hour + 96 * Hour, extended.Review!.Deadline.ToUnixTimeMilliseconds());
        Assert.Null(Tick(T0 + 2 * Hour + 72 * Hour));                            // the old deadline no longer applies
        // Past the bound (a deadline no instant can hold, or a review kept open for ever): nothing changes.
        Assert.Null(Command(OperatorCommand.Extend, T0 + 3 * Hour, extendBy: TimeSpan.FromDays(3_000_000)));
        Assert.Null(Command(OperatorCommand.Extend, T0 + 3 * Hour, extendBy: CommandRules.MaxExtendBy + TimeSpan.FromMinutes(1)));
        Assert.Equal(T0 + 2 * Hour + 96 * Hour, _state.Review!.DeadlineMs);

        Assert.Null(Command(OperatorCommand.Resolve, T0 + 4 * Hour, outcome: "healthy", reviewId: Guid.NewGuid().ToString()));
        var resolved = Command(OperatorCommand.Resolve, T0 + 4 * Hour, outcome: "healthy");
        Assert.Equal(("under_review", "healthy", StatusMachine.OperatorResolve), (resolved!.From, resolved.To, resolved.Rule));
        Assert.Equal((reviewId, "resolved"), (resolved.Review!.Id, resolved.Review.Outcome));
    }

    [Fact]
    public void A_retried_command_changes_nothing_and_decision_ids_are_deterministic()
    {
        var first = Command(OperatorCommand.Pause, T0, id: "cmd-1");
        Command(OperatorCommand.Resume, T0 + Hour, id: "cmd-2");
        Assert.Null(Command(OperatorCommand.Pause, T0 + 2 * Hour, id: "cmd-1"));
        Assert.Equal("healthy", _state.Status);
        Assert.Equal(DecisionIds.For(Scope, Id, 1, "paused", StatusMachine.OperatorPause), first!.DecisionId);
        Assert.Equal(2, _state.Sequence);
    }
}
