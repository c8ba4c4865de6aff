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
