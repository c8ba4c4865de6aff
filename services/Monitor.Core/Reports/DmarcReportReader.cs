using System.IO.Compression;
using System.Xml;
using System.Xml.Linq;

namespace ReputationMonitor.Core.Reports;

/// <summary>
/// Reads DMARC aggregate reports as providers send them: XML, gzip'd XML (Microsoft, Yahoo) or a zip holding one XML
/// file (Google). No DTDs or external entities; decompression is bounded, so a zip bomb is refused, not expanded.
/// </summary>
public static class DmarcReportReader
{
    public const string Invalid = "invalid_dmarc_report";

    public static DmarcAggregateReport Read(byte[] raw, int maxBytes)
    {
        if (raw.Length == 0) throw new DmarcReportException(Invalid, "the record is empty");
        if (raw.Length > maxBytes) throw new DmarcReportException(Invalid, $"the record has {raw.Length} bytes, more than {maxBytes}");
        var xml = Unpack(raw, maxBytes);
        XDocument doc;
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(xml), new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = maxBytes,
            });
            doc = XDocument.Load(reader);
        }
        catch (XmlException e)
        {
            throw new DmarcReportException(Invalid, $"not well-formed XML: {e.Message}");
        }
        return Parse(doc);
    }

    private static byte[] Unpack(byte[] raw, int maxBytes)
    {
        try
        {
            if (raw is [0x1f, 0x8b, ..])
                return Bounded(new GZipStream(new MemoryStream(raw), CompressionMode.Decompress), maxBytes);
            if (raw is [(byte)'P', (byte)'K', 3, 4, ..])
            {
                using var zip = new ZipArchive(new MemoryStream(raw), ZipArchiveMode.Read);
                var entry = zip.Entries.FirstOrDefault(e => e.FullName.EndsWith(".xml", StringComparison.OrdinalIgnoreCase))
                    ?? throw new DmarcReportException(Invalid, "the zip holds no .xml file");
                return Bounded(entry.Open(), maxBytes);
            }
            return raw;
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw new DmarcReportException(Invalid, $"the archive cannot be read: {e.Message}");
        }
    }

    private static byte[] Bounded(Stream source, int maxBytes)
    {
        using (source)
        {
            var output = new MemoryStream();
            var buffer = new byte[81920];
            int n;
            while ((n = source.Read(buffer)) > 0)
            {
                if (output.Length + n > maxBytes)
                    throw new DmarcReportException(Invalid, $"the report expands to more than {maxBytes} bytes");
                output.Write(buffer, 0, n);
            }
            return output.ToArray();
        }
    }

    private static DmarcAggregateReport Parse(XDocument doc)
    {
        var feedback = doc.Root is { Name.LocalName: "feedback" } root ? root
            : throw new DmarcReportException(Invalid, $"the root element is <{doc.Root?.Name.LocalName}>, not <feedback>");
        var metadata = Child(feedback, "report_metadata") ?? throw Missing("report_metadata");
        var policy = Child(feedback, "policy_published") ?? throw Missing("policy_published");
        var range = Child(metadata, "date_range") ?? throw Missing("report_metadata/date_range");
        var domain = Text(policy, "domain")?.ToLowerInvariant() ?? throw Missing("policy_published/domain");

        var rows = new List<DmarcRow>();
        foreach (var record in Children(feedback, "record"))
        {
            var row = Child(record, "row") ?? throw Missing("record/row");
            var evaluated = Child(row, "policy_evaluated") ?? throw Missing("record/row/policy_evaluated");
            var auth = Child(record, "auth_results");
            var count = long.TryParse(Text(row, "count"), out var c) && c >= 0 ? c : throw Missing("record/row/count (a whole number)");
            rows.Add(new DmarcRow(
                Text(row, "source_ip") ?? throw Missing("record/row/source_ip"),
                count,
                Text(evaluated, "disposition")?.ToLowerInvariant() ?? "none",
                (Child(record, "identifiers") is { } ids ? Text(ids, "header_from") : null)?.ToLowerInvariant() ?? domain,
                SpfPass: auth is not null && Children(auth, "spf").Any(Passed),
                SpfAligned: Is(Text(evaluated, "spf"), "pass"),
                DkimPass: auth is not null && Children(auth, "dkim").Any(Passed),
                DkimAligned: Is(Text(evaluated, "dkim"), "pass")));
        }

        return new DmarcAggregateReport(
            Text(metadata, "org_name") ?? throw Missing("report_metadata/org_name"),
            Text(metadata, "report_id") ?? throw Missing("report_metadata/report_id"),
            Epoch(range, "begin"), Epoch(range, "end"), domain, Text(policy, "p")?.ToLowerInvariant(), rows);
    }

    private static bool Passed(XElement result) => Is(Text(result, "result"), "pass");

    private static bool Is(string? value, string expected) => string.Equals(value, expected, StringComparison.OrdinalIgnoreCase);

    private static DateTimeOffset Epoch(XElement range, string name) =>
        long.TryParse(Text(range, name), out var s) && s is >= 0 and < 253402300800
            ? DateTimeOffset.FromUnixTimeSeconds(s) : throw Missing($"report_metadata/date_range/{name} (seconds since 1970)");

    // Reports in the wild use the RFC's default namespace, a versioned one, or none: match on local names.
    private static XElement? Child(XElement parent, string name) => parent.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    private static IEnumerable<XElement> Children(XElement parent, string name) => parent.Elements().Where(e => e.Name.LocalName == name);

    private static string? Text(XElement parent, string name) => Child(parent, name)?.Value.Trim() is { Length: > 0 } v ? v : null;

    private static DmarcReportException Missing(string path) => new(Invalid, $"the report has no {path}");
}
