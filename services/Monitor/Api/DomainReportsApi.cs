using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Classification;
using ReputationMonitor.Core.Reports;
using ReputationMonitor.Core.Rules;
using ReputationMonitor.Configuration;
using ReputationMonitor.Persistence;
using ReputationMonitor.Engine;

namespace ReputationMonitor.Api;

/// <summary>
/// A sending domain as the mailbox providers see it: its DMARC results from their aggregate reports, and the Gmail /
/// Yahoo / Microsoft bulk-sender scorecard.
/// </summary>
public static class DomainReportsApi
{
    public static IEndpointRouteBuilder MapDomainReportsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/domains/{domain}").WithTags("Dimensions").RequireAuthorization(Policies.Viewer);
        group.MapGet("/authentication", GetAuthentication).WithName("GetDomainAuthentication")
            .WithSummary("DMARC aggregate reports for a sending domain: pass rates by day and reporter, failing sources.");
        group.MapGet("/compliance", GetCompliance).WithName("GetDomainCompliance")
            .WithSummary("Gmail, Yahoo and Microsoft bulk-sender requirements for a sending domain, each with its source.");
        return app;
    }

    public sealed record AuthenticationTotals(long Messages, long DmarcPass, double DmarcPassRate, long SpfPass, long SpfAligned,
        long DkimPass, long DkimAligned, long Quarantined, long Rejected);

    public sealed record AuthenticationDay(DateOnly Day, AuthenticationTotals Totals);

    public sealed record AuthenticationReporter(string OrgName, string? Provider, AuthenticationTotals Totals);

    public sealed record FailingSource(string SourceIp, long Messages, bool SpfPass, bool DkimPass, string ReportedBy);

    public sealed record AuthenticationView(string Domain, DateOnly From, DateOnly To, double PassRateThreshold, AuthenticationTotals Totals,
        IReadOnlyList<AuthenticationDay> ByDay, IReadOnlyList<AuthenticationReporter> ByReporter, IReadOnlyList<FailingSource> FailingSources);

    public static async Task<Results<Ok<AuthenticationView>, ValidationProblem, NotFound<ProblemDetails>>> GetAuthentication(
        ProviderReportStore reports, IOptions<ProviderReportOptions> options, string domain, int? days, CancellationToken ct)
    {
        var errors = Validate(domain);
        if (days is < 1 or > 90) errors["days"] = ["days must be between 1 and 90."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        domain = domain.ToLowerInvariant();

        if (await reports.GetLatestDayAsync(domain, ct) is not { } latest) return NoReports(domain);
        var span = days ?? 7;
        var stored = await reports.GetDaysAsync(domain, latest, span, ct);
        var rows = stored.SelectMany(d => d.Rows).ToList();
        return TypedResults.Ok(new AuthenticationView(domain, latest.AddDays(1 - span), latest, options.Value.Dmarc.PassRateThreshold, Totals(rows),
            stored.Select(d => new AuthenticationDay(d.Day, Totals(d.Rows))).ToList(),
            rows.GroupBy(r => r.OrgName).Select(g => new AuthenticationReporter(g.Key, ComplianceScorecard.ProviderOfReporter(g.Key), Totals(g.ToList())))
                .OrderByDescending(r => r.Totals.Messages).ToList(),
            rows.Where(r => !r.SpfAligned && !r.DkimAligned).GroupBy(r => r.SourceIp)
                .Select(g => new FailingSource(g.Key, g.Sum(r => r.Count), g.Any(r => r.SpfPass), g.Any(r => r.DkimPass),
                    string.Join(", ", g.Select(r => r.OrgName).Distinct())))
                .OrderByDescending(s => s.Messages).Take(50).ToList()));
    }

    public sealed record ComplianceView(string Domain, WindowView? Period, DateOnly? DmarcDay, IReadOnlyList<ProviderCompliance> Providers,
        DateTimeOffset? AsOf);

    public static async Task<Results<Ok<ComplianceView>, ValidationProblem, NotFound<ProblemDetails>>> GetCompliance(
        ReadStore store, ProviderReportStore reports, RuleBook book, string domain, CancellationToken ct)
    {
        var errors = Validate(domain);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        domain = domain.ToLowerInvariant();

        var rows = await store.GetEntityStatsAsync(null, Dimensions.Domain, domain, ct);
        var latest = await reports.GetLatestDayAsync(domain, ct);
        if (rows.Count == 0 && latest is null)
            return TypedResults.NotFound(new ProblemDetails
            {
                Title = "domain not found", Status = StatusCodes.Status404NotFound,
                Detail = $"No traffic and no DMARC report has been seen for domain '{domain}'.",
            });

        var day = CombinedWindow.Of(rows.Select(r => BreakdownApi.Window(r, longWindow: true)));
        var byProvider = new Dictionary<string, (long, long, long)>();
        foreach (var (provider, counts) in day.ByProvider)
        {
            var authFailures = day.Responses
                .Where(r => r.Key.StartsWith(provider + "|", StringComparison.Ordinal)
                            && SmtpResponseClassifier.Default.Describe(r.Key[(provider.Length + 1)..]).Class == SmtpClasses.AuthFailure)
                .Sum(r => r.Value);
            byProvider[provider] = (counts.GetValueOrDefault("sent"), counts.GetValueOrDefault("complaints"), authFailures);
        }
        var dmarc = new Dictionary<string, (long, long)>();
        if (latest is { } d)
            foreach (var g in (await reports.GetDaysAsync(domain, d, 1, ct)).SelectMany(x => x.Rows)
                         .GroupBy(r => ComplianceScorecard.ProviderOfReporter(r.OrgName)).Where(g => g.Key is not null))
                dmarc[g.Key!] = (g.Sum(r => r.Count), g.Where(r => r.SpfAligned || r.DkimAligned).Sum(r => r.Count));

        var inputs = new ComplianceInputs(domain, byProvider, day.Responses.GetValueOrDefault(BulkSenderRules.AttemptTally),
            day.Responses.GetValueOrDefault(BulkSenderRules.NoOneClickTally), dmarc);
        return TypedResults.Ok(new ComplianceView(domain, day.Period, latest,
            ComplianceScorecard.Evaluate(inputs, book.Current.BulkSenders), ApiResults.Utc(rows.Count == 0 ? null : rows.Max(r => r.AsOf))));
    }

    private static AuthenticationTotals Totals(IReadOnlyCollection<DmarcDayRow> rows)
    {
        var messages = rows.Sum(r => r.Count);
        var pass = rows.Where(r => r.SpfAligned || r.DkimAligned).Sum(r => r.Count);
        return new AuthenticationTotals(messages, pass, messages == 0 ? 0 : (double)pass / messages,
            rows.Where(r => r.SpfPass).Sum(r => r.Count), rows.Where(r => r.SpfAligned).Sum(r => r.Count),
            rows.Where(r => r.DkimPass).Sum(r => r.Count), rows.Where(r => r.DkimAligned).Sum(r => r.Count),
            rows.Where(r => r.Disposition == "quarantine").Sum(r => r.Count), rows.Where(r => r.Disposition == "reject").Sum(r => r.Count));
    }

    private static Dictionary<string, string[]> Validate(string domain)
    {
        var errors = new Dictionary<string, string[]>();
        if (domain.Length is 0 or > 253 || !domain.Contains('.') || domain.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '-')))
            errors["domain"] = ["domain must be a DNS name such as example.com (letters, digits, dots and hyphens, at most 253 characters)."];
        return errors;
    }

    private static NotFound<ProblemDetails> NoReports(string domain) => TypedResults.NotFound(new ProblemDetails
    {
        Title = "no DMARC reports", Status = StatusCodes.Status404NotFound,
        Detail = $"No DMARC aggregate report for '{domain}' has been read from the DMARC reports topic.",
    });
}
