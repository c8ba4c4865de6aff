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

/// <summary>SES's way of measuring, replayed: a sender of 50 recipients a day with 8 % hard bounces is invisible to the 24 h
/// window (never the 200 recipients the bounce rule needs) and reviewed, then paused, when its rate is measured over its last
/// 2,000 recipients.</summary>
public sealed class RepresentativeVolumeBacktestTests
{
    [Fact]
    public void A_low_volume_sender_is_reviewed_at_its_200th_recipient_and_paused_at_the_review_deadline()
    {
        const string account = "700000000009";
        var day0 = ReputationMonitor.Tests.Support.SesJson.T0.AddDays(-30);
        var candidate = new ReputationOptions();
        candidate.Evaluation.Mode = ReputationMonitor.Core.Aggregation.EvaluationOptions.RepresentativeVolume;
        candidate.Evaluation.Volume = 2000;
        var backtest = new Backtest(new ReputationOptions(), candidate);
        var reader = new ArchiveRecordReader();
        for (var d = 0; d < 10; d++)
        for (var i = 0; i < 50; i++)
        {
            var (id, to, at) = ($"rv-{d:D2}-{i:D2}", $"r{d}-{i}@gmail.com", day0.AddDays(d).AddHours(12).AddSeconds(i));
            backtest.Feed(reader.Read(Encoding.UTF8.GetBytes(ReputationMonitor.Tests.Support.SesJson.Attempt(id, account, at, to))).Event!);
            var outcome = i < 4
                ? ReputationMonitor.Tests.Support.SesJson.Bounce(id, account, at, at.AddSeconds(0.5), to)
                : ReputationMonitor.Tests.Support.SesJson.Delivery(id, account, at, at.AddSeconds(0.5), to);
            backtest.Feed(reader.Read(Encoding.UTF8.GetBytes(outcome)).Event!);
        }
        var r = backtest.Finish();

        Assert.Equal(0, r.InForce.Transitions);
        var reached = r.Differences.Where(d => d.Scope == "account").ToList();
        // The 200th send is day 3's 50th (12:00:49): 12 + 4 = 16 bounces of 200, 8 %.
        Assert.Equal([("under_review", DecisionDiff.OnlyCandidate, day0.AddDays(3).AddHours(12).AddSeconds(49))],
            reached.Where(d => d.Status == "under_review").Select(d => (d.Status, d.Change, d.CandidateAt!.Value)));
        // 72 h later the rate is still 8 %: escalated at the first tick past the deadline — day 7's first record (the archive's
        // clock stands still between the days' sends).
        Assert.Equal([("paused", "review-deadline-escalation", day0.AddDays(7).AddHours(12))],
            reached.Where(d => d.Status == "paused").Select(d => (d.Status, d.CandidateRule!, d.CandidateAt!.Value)));
        var review = r.Decisions.Single(d => d is { Run: DecisionDiff.CandidateRun, Scope: "account", To: "under_review" });
        Assert.Contains("over the last 200 recipients (representative volume 2000), sent over 3.9 days", review.Reason); // from day 0's start
    }
}
