namespace ReputationMonitor.Core.Classification;

/// <summary>One labelled response of a corpus file: what it says, what it means, who sent it, and where it was found.</summary>
public sealed record LabelledResponse(string Response, string Class, string Provider, string? Scope, string Source);

/// <summary>
/// Reads a labelled corpus (tab-separated: response, class, provider, scope or '-', source, note; '#' starts a comment),
/// as kept in <c>corpus/smtp-responses/</c>. A malformed line throws naming its number.
/// </summary>
public static class SmtpCorpus
{
    public static IReadOnlyList<LabelledResponse> Read(string path) => Parse(File.ReadLines(path), path);

    public static IReadOnlyList<LabelledResponse> Parse(IEnumerable<string> lines, string name)
    {
        var rows = new List<LabelledResponse>();
        var number = 0;
        foreach (var line in lines)
        {
            number++;
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var f = line.Split('\t');
            if (f.Length < 5) throw new InvalidDataException($"{name}:{number}: expected at least 5 tab-separated columns, found {f.Length}");
            if (!SmtpClasses.All.Contains(f[1])) throw new InvalidDataException($"{name}:{number}: unknown class '{f[1]}'");
            rows.Add(new LabelledResponse(f[0], f[1], f[2], f[3] is "-" or "" ? null : f[3], f[4]));
        }
        return rows;
    }
}
