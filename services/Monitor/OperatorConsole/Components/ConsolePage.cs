using Microsoft.AspNetCore.Components;

using ReputationMonitor.OperatorConsole.Support;

namespace ReputationMonitor.OperatorConsole.Components;

/// <summary>What every console page with actions shares: the request, the caller's rights, and how an action's result
/// comes back (post, then redirect to the page with a notice; or the page again with the reason it was refused).</summary>
public abstract class ConsolePage : ComponentBase
{
    [CascadingParameter] public HttpContext Http { get; set; } = null!;
    [Inject] public NavigationManager Navigation { get; set; } = null!;
    [SupplyParameterFromQuery] public string? Done { get; set; }

    protected string? Error { get; set; }

    protected bool CanAct => ConsoleActions.CanAct(Http);

    /// <summary>The notice of the action that led here; not on a post (the post's own outcome is what counts then).</summary>
    protected string? Notice => HttpMethods.IsGet(Http.Request.Method) ? ApiOutcome.Notice(Done) : null;

    /// <summary>The value of an API handler's 200, or null with <see cref="Error"/> saying why (a bad page token, ...).</summary>
    protected T? Read<T>(IResult result) where T : class
    {
        var value = ApiOutcome.Value<T>(result);
        if (value is null) Error ??= ApiOutcome.Problem(result);
        return value;
    }

    protected async Task Act(string action, Func<Task<IResult>> send)
    {
        if (ConsoleActions.Refuse(Http) is { } refused)
        {
            Error = refused;
            return;
        }
        var (notice, error) = ApiOutcome.Command(await send(), action);
        if (notice is not null) Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("done", notice));
        else
        {
            Http.Response.StatusCode = StatusCodes.Status400BadRequest;
            Error = error;
        }
    }
}
