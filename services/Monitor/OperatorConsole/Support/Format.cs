using System.Globalization;

namespace ReputationMonitor.OperatorConsole.Support;

/// <summary>How the console writes figures: percentages with two decimals, thousands separators, UTC times, deadlines
/// relative to now. One culture for everyone (the invariant one): operators compare screenshots across teams.</summary>
public static class Format
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Percent(double rate) => (rate * 100).ToString("N2", Invariant) + " %";

    public static string Count(long n) => n.ToString("N0", Invariant);

    public static string Ratio(double ratio) => ratio.ToString("N2", Invariant) + "×";

    public static string Utc(DateTimeOffset? at) => at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", Invariant) + " UTC" : "—";

    public static string Hour(DateTimeOffset at) => at.UtcDateTime.ToString("MM-dd HH:mm", Invariant);

    /// <summary>"3 h left", "2 d 4 h left", "overdue by 25 min".</summary>
    public static string Deadline(DateTimeOffset deadline, DateTimeOffset now)
    {
        var left = deadline - now;
        return left >= TimeSpan.Zero ? $"{Span(left)} left" : $"overdue by {Span(-left)}";
    }

    /// <summary>"5 min ago", "3 h ago", "2 d ago".</summary>
    public static string Ago(DateTimeOffset at, DateTimeOffset now) => at > now ? "just now" : $"{Span(now - at)} ago";

    public static string Span(TimeSpan span) => span switch
    {
        { TotalMinutes: < 1 } => $"{Math.Max(0, (int)span.TotalSeconds)} s",
        { TotalHours: < 1 } => $"{(int)span.TotalMinutes} min",
        { TotalDays: < 1 } => $"{(int)span.TotalHours} h",
        _ => span.Hours == 0 ? $"{(int)span.TotalDays} d" : $"{(int)span.TotalDays} d {span.Hours} h",
    };

    public static string StatusLabel(string? status) => status switch
    {
        "healthy" => "Healthy",
        "under_review" => "Under review",
        "paused" => "Paused",
        null => "Not rated",
        _ => status,
    };
}
