using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using ReputationMonitor.Api;

namespace ReputationMonitor.OperatorConsole.Support;

/// <summary>
/// The console calls the API's own handlers (one validation, one command path, one audit trail) and reads their
/// typed results: the value of a 200, or what a 4xx says, in words for the page.
/// </summary>
public static class ApiOutcome
{
    public static T? Value<T>(IResult result) where T : class => Unwrap(result) switch
    {
        Ok<T> ok => ok.Value,
        Created<T> created => created.Value,
        _ => null,
    };

    /// <summary>Null when the request succeeded; else the message to show.</summary>
    public static string? Problem(IResult result) => Unwrap(result) switch
    {
        ValidationProblem v => string.Join(" ", v.ProblemDetails.Errors.SelectMany(e => e.Value)),
        Conflict<ProblemDetails> c => c.Value?.Detail,
        NotFound<ProblemDetails> n => n.Value?.Detail,
        ProblemHttpResult p => p.ProblemDetails.Detail ?? p.ProblemDetails.Title,
        _ => null,
    };

    /// <summary>What an operator command came to: a notice code for the page it returns to (applied, unchanged, sent and
    /// not yet confirmed), or the reason it was refused.</summary>
    public static (string? Notice, string? Error) Command(IResult result, string action) => Unwrap(result) switch
    {
        Ok<CommandResult> { Value: { } r } => ($"{action}-{(r.Applied ? "applied" : "unchanged")}", null),
        Accepted<CommandResult> or Accepted => ($"{action}-sent", null),
        IStatusCodeHttpResult { StatusCode: >= 200 and < 300 } => ($"{action}-applied", null),
        var other => (null, Problem(other) ?? "The request was refused."),
    };

    /// <summary>The sentence for a notice code; only codes this class issues have one (a link cannot put words on a page).</summary>
    public static string? Notice(string? code)
    {
        if (code?.Split('-') is not [var action, var outcome] || !Actions.TryGetValue(action, out var what)) return null;
        return outcome switch
        {
            "applied" => $"{what}: done.",
            "unchanged" => $"{what}: the stream took the command and nothing needed to change.",
            "sent" => $"{what}: sent; the stream has not confirmed it yet. This page shows the result when it does.",
            _ => null,
        };
    }

    private static readonly Dictionary<string, string> Actions = new()
    {
        ["pause"] = "Pause", ["resume"] = "Resume", ["note"] = "Note", ["extend"] = "Extend", ["resolve"] = "Resolve",
        ["suppress"] = "Suppress", ["unsuppress"] = "Remove from the suppression list",
    };

    private static IResult Unwrap(IResult result) => result is INestedHttpResult nested ? nested.Result : result;
}
