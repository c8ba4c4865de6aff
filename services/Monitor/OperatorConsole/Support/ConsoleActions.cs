using ReputationMonitor.Configuration;

namespace ReputationMonitor.OperatorConsole.Support;

/// <summary>The console hides action controls from viewers; this is what refuses a viewer's post all the same.</summary>
public static class ConsoleActions
{
    public static bool CanAct(HttpContext http) => http.User.IsInRole(Roles.Operator);

    /// <summary>Null when the caller may act; else the 403 message (the status code is set).</summary>
    public static string? Refuse(HttpContext http)
    {
        if (CanAct(http)) return null;
        http.Response.StatusCode = StatusCodes.Status403Forbidden;
        return "Your key is a viewer's: it can read, not act.";
    }
}
