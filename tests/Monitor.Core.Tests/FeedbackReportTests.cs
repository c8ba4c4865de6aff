using System.Text;
using ReputationMonitor.Core.Model;
using ReputationMonitor.Core.Parsing;
using ReputationMonitor.Core.Reports;

namespace ReputationMonitor.Core.Tests;

/// <summary>ARF (RFC 5965) reports read with MimeKit: the RFC's own example and the Yahoo CFL and Microsoft JMRP formats.</summary>
public sealed class FeedbackReportTests
{
    private const string SesMessageId = "0100019a3f1c2b7e-5d0e9a41-7c2b-4e8f-9a3d-1b2c3d4e5f60-000000";

    private static FeedbackReport Read(string name) => FeedbackReportReader.Read(Samples.Read($"feedback-reports/{name}"), 1 << 20);

    [Fact]
    public void The_rfc_5965_example_is_read_field_by_field()
    {
        var r = Read("rfc5965-example.eml");
        Assert.Equal("abuse", r.FeedbackType);
        Assert.Equal("SomeGenerator/1.0", r.UserAgent);
        Assert.Equal("8787KJKJ3K4J3K4J3K4J3.mail@example.net", r.OriginalMessageId);
        Assert.Equal("user@example.com", r.Recipient);
        Assert.Equal("somespammer@example.net", r.OriginalMailFrom);
        Assert.Equal("example.net", r.FromDomain);
        Assert.Equal("192.0.2.1", r.SourceIp);
        Assert.Equal(new DateTimeOffset(2005, 3, 8, 14, 0, 0, TimeSpan.FromHours(-4)), r.ArrivalDate);
    }

    [Fact]
    public void A_yahoo_cfl_report_names_the_ses_message_and_its_recipient()
    {
        var r = Read("yahoo-cfl.eml");
        Assert.Equal("abuse", r.FeedbackType);
        Assert.Equal("lee@yahoo.com", r.Recipient);
        Assert.Equal("acme.example", r.FromDomain);
        Assert.Equal([SesMessageId, $"{SesMessageId}@email.amazonses.com"], r.CandidateMessageIds());
        Assert.Equal(DateTimeOffset.Parse("2026-11-27T09:58:03Z"), r.ArrivalDate);
    }

    [Fact]
    public void A_microsoft_jmrp_report_has_its_recipient_redacted()
    {
        var r = Read("microsoft-jmrp.eml");
        Assert.Equal("Hotmail FBL", r.UserAgent);
        Assert.Null(r.Recipient);
        Assert.Equal(SesMessageId, r.CandidateMessageIds().First());
    }

    [Theory]
    [InlineData("not-a-report.eml", FeedbackReportReader.NotAReport, "text/plain")]
    public void Anything_else_is_refused_with_the_reason(string name, string code, string inMessage)
    {
        var e = Assert.Throws<FeedbackReportException>(() => Read(name));
        Assert.Equal(code, e.Code);
        Assert.Contains(inMessage, e.Message);
    }

    [Fact]
    public void A_report_without_the_reported_messages_id_cannot_be_attributed()
    {
        var raw = Encoding.ASCII.GetString(Samples.Read("feedback-reports/yahoo-cfl.eml"))
            .Replace("Message-ID: <0100019a3f1c2b7e", "X-Was-Message-ID: <0100019a3f1c2b7e");
        var e = Assert.Throws<FeedbackReportException>(() => FeedbackReportReader.Read(Encoding.ASCII.GetBytes(raw), 1 << 20));
        Assert.Equal(FeedbackReportReader.NoMessageId, e.Code);
    }

    [Fact]
    public void Empty_and_oversized_records_are_refused()
    {
        Assert.Equal(FeedbackReportReader.NotMime, Assert.Throws<FeedbackReportException>(() => FeedbackReportReader.Read([], 100)).Code);
        Assert.Contains("more than 100", Assert.Throws<FeedbackReportException>(() => FeedbackReportReader.Read(new byte[101], 100)).Message);
    }

    [Fact]
    public void The_complaint_it_becomes_is_an_ses_complaint_the_stream_reads_for_the_messages_account_and_recipient()
    {
        var report = Read("microsoft-jmrp.eml");
        var message = new NormalizedEvent
        {
            Kind = EventKind.Attempt, MessageId = SesMessageId, AccountId = "210987654321", EventKey = "k",
            MailTimestampMs = DateTimeOffset.Parse("2026-11-27T10:31:25Z").ToUnixTimeMilliseconds(),
            Source = "offers@acme.example", FromDomain = "acme.example", ConfigurationSet = "marketing", SendingIp = "192.0.2.44",
            Destinations = ["kim@hotmail.com"],
        };
        var (recipient, problem) = FeedbackComplaint.RecipientOf(report, message);
        Assert.Null(problem);
        var raw = Samples.Read("feedback-reports/microsoft-jmrp.eml");
        var parsed = new SesEventParser().Parse(FeedbackComplaint.ToSesEvent(report, message, recipient!, raw, DateTimeOffset.UtcNow));
        Assert.True(parsed.IsSuccess, parsed.Reason);
        var e = parsed.Event!;
        Assert.Equal(EventKind.Complaint, e.Kind);
        Assert.Equal("210987654321", e.AccountId);
        Assert.Equal(SesMessageId, e.MessageId);
        Assert.Equal("kim@hotmail.com", Assert.Single(e.Recipients).Email);
        Assert.Equal("abuse", e.ComplaintFeedbackType);
        Assert.Equal("marketing", e.ConfigurationSet);
        Assert.Equal(DateTimeOffset.Parse("2026-11-27T10:31:27Z").ToUnixTimeMilliseconds(), e.TimestampMs);
        // Read twice, the same report is the same event (traces keep it once).
        Assert.Equal(e.EventKey, new SesEventParser().Parse(FeedbackComplaint.ToSesEvent(report, message, recipient!, raw, DateTimeOffset.UtcNow)).Event!.EventKey);
    }

    [Fact]
    public void A_redacted_recipient_of_a_message_sent_to_several_cannot_be_told()
    {
        var report = Read("microsoft-jmrp.eml");
        var message = new NormalizedEvent { MessageId = SesMessageId, AccountId = "a", EventKey = "k", Destinations = ["x@hotmail.com", "y@hotmail.com"] };
        var (recipient, problem) = FeedbackComplaint.RecipientOf(report, message);
        Assert.Null(recipient);
        Assert.Contains("2 recipients", problem);
    }
}
