using System.IO.Compression;
using System.Text;
using ReputationMonitor.Core.Reports;
using ReputationMonitor.Core.Rules;

namespace ReputationMonitor.Core.Tests;

/// <summary>DMARC aggregate reports in the shapes Google (zip), Microsoft and Yahoo (gzip) send, and the findings they raise.</summary>
public sealed class DmarcReportTests
{
    private static byte[] Xml(string provider) => Samples.Read($"dmarc-reports/{provider}.xml");

    /// <summary>The reports as the providers send them: Google zips, Microsoft and Yahoo gzip.</summary>
    private static byte[] AsSent(string provider) => Samples.Read(provider switch
    {
        "google" => "dmarc-reports/google.com!acme.example!1795737600!1795823999.zip",
        "microsoft" => "dmarc-reports/enterprise.protection.outlook.com!acme.example!1795737600!1795823999.xml.gz",
        _ => "dmarc-reports/yahoo.com!acme.example!1795737600!1795823999.xml.gz",
    });

    [Fact]
    public void A_google_report_zipped_is_read_row_by_row()
    {
        var r = DmarcReportReader.Read(AsSent("google"), 1 << 20);
        Assert.Equal("google.com", r.OrgName);
        Assert.Equal("4120719876043926615", r.ReportId);
        Assert.Equal("acme.example", r.Domain);
        Assert.Equal("quarantine", r.Policy);
        Assert.Equal(new DateOnly(2026, 11, 27), r.Day);
        Assert.Equal(3, r.Rows.Count);
        var aligned = r.Rows[0];
        Assert.Equal(("192.0.2.44", 4820L, true, true, true, true), (aligned.SourceIp, aligned.Count, aligned.SpfPass, aligned.SpfAligned, aligned.DkimPass, aligned.DkimAligned));
        var sesSigned = r.Rows[1]; // DKIM passes for amazonses.com, not aligned with acme.example; SPF aligned: DMARC passes
        Assert.Equal((true, false, true), (sesSigned.DkimPass, sesSigned.DkimAligned, sesSigned.DmarcPass));
        var spoof = r.Rows[2];
        Assert.Equal(("203.0.113.77", 250L, "quarantine", false, false, false), (spoof.SourceIp, spoof.Count, spoof.Disposition, spoof.SpfPass, spoof.DkimPass, spoof.DmarcPass));
    }

    [Theory]
    [InlineData("microsoft", "Enterprise Outlook", 2, 2962)]
    [InlineData("yahoo", "Yahoo", 1, 1875)]
    public void Microsoft_and_yahoo_reports_gzipped_are_read(string provider, string org, int rows, long messages)
    {
        var r = DmarcReportReader.Read(AsSent(provider), 1 << 20);
        Assert.Equal(org, r.OrgName);
        Assert.Equal(rows, r.Rows.Count);
        Assert.Equal(messages, r.Rows.Sum(x => x.Count));
        Assert.Equal(provider, ComplianceScorecard.ProviderOfReporter(org));
    }

    [Theory]
    [InlineData("<feedback><report_metadata><org_name>x</org_name></report_metadata></feedback>", "policy_published")]
    [InlineData("<html><body>hello</body></html>", "not <feedback>")]
    [InlineData("<feedback><unclosed></feedback>", "not well-formed")]
    [InlineData("<?xml version=\"1.0\"?><!DOCTYPE feedback [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><feedback>&x;</feedback>", "not well-formed")]
    public void Broken_or_hostile_reports_are_refused_with_the_reason(string xml, string reason)
    {
        var e = Assert.Throws<DmarcReportException>(() => DmarcReportReader.Read(Encoding.UTF8.GetBytes(xml), 1 << 20));
        Assert.Equal(DmarcReportReader.Invalid, e.Code);
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void A_zip_bomb_is_refused_not_expanded()
    {
        var bomb = new MemoryStream();
        using (var gzip = new GZipStream(bomb, CompressionLevel.Optimal, leaveOpen: true)) gzip.Write(new byte[5_000_000]);
        var e = Assert.Throws<DmarcReportException>(() => DmarcReportReader.Read(bomb.ToArray(), 1 << 20));
        Assert.Contains("expands to more than", e.Message);
    }

    private static DmarcDay Day(params string[] providers) => new("acme.example", new DateOnly(2026, 11, 27), providers
        .Select(p => DmarcReportReader.Read(Xml(p), 1 << 20))
        .SelectMany(r => r.Rows.Select(x => new DmarcDayRow(r.OrgName, x.SourceIp, x.Count, x.Disposition, x.SpfPass, x.SpfAligned, x.DkimPass, x.DkimAligned)))
        .ToList());

    [Fact]
    public void A_day_under_the_pass_rate_with_volume_raises_both_findings_once()
    {
        var day = Day("google", "microsoft", "yahoo");
        Assert.Equal(10037, day.Messages);
        Assert.Equal(9775, day.DmarcPass); // 262 failed: 250 spoofed at Google + 12 at Microsoft
        var findings = DmarcRules.Evaluate(day, new DmarcOptions());
        var passRate = Assert.Single(findings, f => f.Rule == DmarcRules.PassRate);
        Assert.Equal("acme.example", passRate.Entity);
        Assert.Equal("domain", passRate.Scope);
        Assert.Equal(9775.0 / 10037, passRate.Evidence.Rates["dmarcPass"], 6);
        var sources = Assert.Single(findings, f => f.Rule == DmarcRules.UnauthenticatedSources).Evidence.Sources!;
        Assert.Equal(["203.0.113.77", "198.51.100.9"], sources.Select(s => s.SourceIp));
        Assert.Equal("Enterprise Outlook", sources[1].ReportedBy);
        // The same day evaluated again (a report re-read, or a later report) names the same findings.
        Assert.Equal(findings.Select(f => f.DecisionId), DmarcRules.Evaluate(day, new DmarcOptions()).Select(f => f.DecisionId));
    }

    [Fact]
    public void A_passing_day_or_too_little_volume_raises_no_pass_rate_finding()
    {
        Assert.Empty(DmarcRules.Evaluate(Day("yahoo"), new DmarcOptions()));
        var small = DmarcRules.Evaluate(Day("microsoft"), new DmarcOptions { MinMessages = 10_000 });
        Assert.DoesNotContain(small, f => f.Rule == DmarcRules.PassRate);
        Assert.Contains(small, f => f.Rule == DmarcRules.UnauthenticatedSources); // 12 spoofed messages are still worth saying
    }

    [Fact]
    public void The_compliance_scorecard_holds_each_provider_to_its_own_requirements()
    {
        var inputs = new ComplianceInputs("acme.example",
            new Dictionary<string, (long, long, long)> { ["gmail"] = (6000, 12, 0), ["microsoft"] = (3000, 0, 4), ["yahoo"] = (1900, 1, 0) },
            Attempts: 10_900, AttemptsWithoutOneClick: 109,
            new Dictionary<string, (long, long)> { ["gmail"] = (5200, 4950), ["microsoft"] = (2962, 2950) });
        var card = ComplianceScorecard.Evaluate(inputs, new BulkSenderOptions()).ToDictionary(p => p.Provider);

        var gmail = card["gmail"];
        Assert.True(gmail.BulkSender);
        Assert.Equal(ComplianceScorecard.Warning, gmail.Lines.Single(l => l.Requirement == "spam-rate").Status); // 0.20 %
        Assert.Equal(ComplianceScorecard.Violation, gmail.Lines.Single(l => l.Requirement == "one-click-unsubscribe").Status); // 1 % without
        Assert.Equal(ComplianceScorecard.Violation, gmail.Lines.Single(l => l.Requirement == "dmarc").Status); // 95.2 %
        Assert.Equal(ComplianceScorecard.Violation, gmail.Status);
        Assert.All(gmail.Lines, l => Assert.StartsWith("https://support.google.com/", l.Source));

        var microsoft = card["microsoft"];
        Assert.False(microsoft.BulkSender); // 3,000 a day is under Outlook.com's 5,000
        Assert.Equal(ComplianceScorecard.Warning, microsoft.Lines.Single(l => l.Requirement == "authentication").Status);
        Assert.Equal(ComplianceScorecard.Warning, microsoft.Lines.Single(l => l.Requirement == "one-click-unsubscribe").Status);
        Assert.DoesNotContain(microsoft.Lines, l => l.Requirement == "spam-rate");

        Assert.Equal(ComplianceScorecard.NoData, card["yahoo"].Lines.Single(l => l.Requirement == "dmarc").Status);
    }
}
