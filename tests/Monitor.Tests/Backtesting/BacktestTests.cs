using System.Text;
using ReputationMonitor.Engine;
using ReputationMonitor.Engine.Backtesting;

namespace ReputationMonitor.Tests.Backtesting;

/// <summary>The backtest on <see cref="KnownArchive"/>: the decision diff written out by hand.</summary>
public sealed class BacktestTests
{
    private static BacktestResult Run(ReputationOptions candidate, DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        var backtest = new Backtest(new ReputationOptions(), candidate, from, to);
        var reader = new ArchiveRecordReader();
        foreach (var line in KnownArchive.Lines()) backtest.Feed(reader.Read(Encoding.UTF8.GetBytes(line)).Event!);
        return backtest.Finish();
    }

    private static ReputationOptions Candidate() => new() { Thresholds = new() { BounceReview = 0.03, BouncePause = 0.08 } };

    [Fact]
    public void A_lower_threshold_reviews_one_account_it_never_would_have_and_reviews_and_pauses_the_other_earlier()
    {
        var r = Run(Candidate());

        var accounts = r.Differences.Where(d => d.Scope == "account").ToList();
        Assert.Equal(
        [
            new DecisionDifference("account", KnownArchive.Steady, "under_review", DecisionDiff.OnlyCandidate, null, KnownArchive.At(199), null,
                null, "bounce-rate-review"),
            new DecisionDifference("account", KnownArchive.Rising, "under_review", DecisionDiff.Earlier, KnownArchive.At(315.5), KnownArchive.At(309.5),
                Math.Round(6 / 3600.0, 3), "bounce-rate-review", "bounce-rate-review"),
            new DecisionDifference("account", KnownArchive.Rising, "paused", DecisionDiff.Earlier, KnownArchive.At(333.5), KnownArchive.At(326.5),
                Math.Round(7 / 3600.0, 3), "bounce-rate-pause", "bounce-rate-pause"),
        ], accounts);
        // Their configuration set carries the same traffic, so the same differences; nothing is the same in both runs.
        Assert.Equal(accounts.Select(d => (d.Entity + "/marketing", d.Status, d.Change, d.InForceAt, d.CandidateAt)),
            r.Differences.Where(d => d.Scope == "configuration-set").Select(d => (d.Entity, d.Status, d.Change, d.InForceAt, d.CandidateAt)));
        Assert.Equal(0, r.Unchanged);
        Assert.Equal((2, 2), (r.InForce.Reviewed, r.InForce.Paused)); // the rising account and its configuration set
        Assert.Equal((4, 2), (r.Candidate.Reviewed, r.Candidate.Paused));
        Assert.Equal(1600, r.Archive.Replayed);
        Assert.Equal(KnownArchive.At(0), r.Archive.First);
        Assert.Contains(r.Decisions, d => d is { Run: DecisionDiff.CandidateRun, Scope: "account", Entity: KnownArchive.Steady, To: "under_review" });
    }

    [Fact]
    public void The_same_rules_make_the_same_decisions_at_the_same_times()
    {
        var r = Run(new ReputationOptions());
        Assert.Empty(r.Differences);
        Assert.Equal(4, r.Unchanged); // the rising account and its configuration set, reviewed then paused
        Assert.Equal(r.InForce, r.Candidate with { ByRule = r.InForce.ByRule });
        Assert.Equal(r.InForce.ByRule, r.Candidate.ByRule);
    }

    [Fact]
    public void A_range_replays_only_its_events()
    {
        // Up to the 305th second: the rising account has 5 bounces in 306 (1.6 %); the steady one is reviewed by the candidate.
        var r = Run(Candidate(), to: KnownArchive.At(305));
        Assert.Equal([(KnownArchive.Steady, "under_review", DecisionDiff.OnlyCandidate)],
            r.Differences.Where(d => d.Scope == "account").Select(d => (d.Entity, d.Status, d.Change)));
        Assert.Equal(2 * (306 + 305), r.Archive.Replayed); // each account's sends 0..305 and outcomes 0..304 (at i + 0.5 s)
        Assert.Equal(1600, r.Archive.Replayed + r.Archive.Outside);
    }

    [Theory]
    [InlineData("{\"kind\": 1, \"broken\"", "invalid_json")]
    [InlineData("{\"hello\": \"world\"}", ArchiveRecordReader.UnknownShape)]
    [InlineData("not json at all", "invalid_json")]
    [InlineData("[1, 2]", "invalid_json")]
    public void Lines_the_stream_would_refuse_are_refused_with_its_reason(string line, string reason) =>
        Assert.Equal(reason, new ArchiveRecordReader().Read(Encoding.UTF8.GetBytes(line)).ErrorCode);
}
