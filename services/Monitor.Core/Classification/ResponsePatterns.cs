using System.Text.RegularExpressions;

namespace ReputationMonitor.Core.Classification;

/// <summary>
/// How the data files' patterns are compiled: case-insensitive; with the non-backtracking engine (time linear in the text,
/// whatever it holds) unless the pattern needs look-arounds, then compiled with a match timeout. The non-backtracking
/// engine gets no timeout: it builds its automaton while it matches, and a timeout would turn a slow first match on a busy
/// machine into "no match" — a classification that depends on load. A response is read up to <see cref="MaxLength"/>
/// characters: SMTP replies are short, a megabyte of hostile text must not cost a second.
/// </summary>
internal static class ResponsePatterns
{
    public const int MaxLength = 2048;

    // Generous: a match takes microseconds, and a pause of the process (GC, a busy machine) must not read as "no match".
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    public static Regex Compile(string pattern)
    {
        const RegexOptions options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;
        try
        {
            return new Regex(pattern, options | RegexOptions.NonBacktracking, Regex.InfiniteMatchTimeout);
        }
        catch (NotSupportedException)
        {
            return new Regex(pattern, options | RegexOptions.Compiled, Timeout);
        }
    }

    public static bool Matches(Regex pattern, string text)
    {
        try
        {
            return pattern.IsMatch(text.Length <= MaxLength ? text : text[..MaxLength]);
        }
        catch (RegexMatchTimeoutException)
        {
            // A pathological response must not stall the pipeline; it is simply not recognised by this pattern.
            return false;
        }
    }
}
