using System.IO.Compression;
using System.Text;
using ReputationMonitor.Core.Reports;

namespace ReputationMonitor.Core.Tests;

/// <summary>
/// Whatever lands on the report topics, the readers answer with a report or with their own exception and a reason (which
/// sends the record to the DLQ) — never another exception, which would isolate the record as a projection failure, and
/// never unbounded work.
/// </summary>
public sealed class ProviderReportHostileInputTests
{
    private const int Max = 1 << 20;

    public static TheoryData<string, byte[]> Hostile()
    {
        var random = new Random(20);
        var noise = new byte[4096];
        random.NextBytes(noise);
        var nested = new StringBuilder("Content-Type: multipart/report; report-type=feedback-report; boundary=b0\r\n\r\n");
        for (var i = 1; i < 2000; i++) nested.Append($"--b{i - 1}\r\nContent-Type: multipart/mixed; boundary=b{i}\r\n\r\n");
        var manyParts = new StringBuilder("Content-Type: multipart/report; report-type=feedback-report; boundary=x\r\n\r\n");
        for (var i = 0; i < 5000; i++) manyParts.Append("--x\r\nContent-Type: message/feedback-report\r\n\r\nFeedback-Type: abuse\r\n");
        var laughs = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;\">]><feedback>&lol2;</feedback>";
        var zipWithoutXml = new MemoryStream();
        using (var zip = new ZipArchive(zipWithoutXml, ZipArchiveMode.Create, leaveOpen: true))
        using (var entry = zip.CreateEntry("report.txt").Open()) entry.Write("not xml"u8);
        var gzip = new MemoryStream();
        using (var g = new GZipStream(gzip, CompressionLevel.Fastest, leaveOpen: true)) g.Write(Encoding.UTF8.GetBytes(new string('x', 10_000)));
        return new TheoryData<string, byte[]>
        {
            { "empty", [] },
            { "noise", noise },
            { "invalid utf-8", [0xC3, 0x28, 0xFF, 0xFE, 0x0A] },
            { "a report type only", "Content-Type: multipart/report; report-type=feedback-report; boundary=z\r\n\r\n--z--\r\n"u8.ToArray() },
            { "2,000 nested multiparts", Encoding.ASCII.GetBytes(nested.ToString()) },
            { "5,000 report parts", Encoding.ASCII.GetBytes(manyParts.ToString()) },
            { "an entity expansion", Encoding.UTF8.GetBytes(laughs) },
            { "a zip without xml", zipWithoutXml.ToArray() },
            { "a truncated gzip", gzip.ToArray()[..(int)(gzip.Length / 2)] },
            { "a zip signature and nothing else", [(byte)'P', (byte)'K', 3, 4, 0, 0] },
        };
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public void A_hostile_feedback_report_is_refused_with_a_reason(string what, byte[] raw)
    {
        var e = Record.Exception(() => FeedbackReportReader.Read(raw, Max));
        Assert.True(e is null or FeedbackReportException, $"{what}: {e}");
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public void A_hostile_dmarc_report_is_refused_with_a_reason(string what, byte[] raw)
    {
        var e = Record.Exception(() => DmarcReportReader.Read(raw, Max));
        Assert.True(e is null or DmarcReportException, $"{what}: {e}");
    }
}
