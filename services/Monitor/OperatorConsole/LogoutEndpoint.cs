using Microsoft.AspNetCore.Antiforgery;
using ReputationMonitor.Api;

namespace ReputationMonitor.OperatorConsole;

/// <summary>Log out: a form post (with its anti-forgery token, so another site cannot log an operator out) that
/// forgets the session cookie.</summary>
public static class LogoutEndpoint
{
    public static async Task<IResult> LogOut(HttpContext http, IAntiforgery antiforgery)
    {
        // A session whose key was revoked is no one's: its form's token no longer matches, and forgetting it harms no one.
        if (http.User.Identity?.IsAuthenticated == true)
        {
            try
            {
                await antiforgery.ValidateRequestAsync(http);
            }
            catch (AntiforgeryValidationException)
            {
                return TypedResults.BadRequest();
            }
        }
        ConsoleSession.SignOut(http);
        return TypedResults.Redirect(ConsoleSession.PathBase + "/login");
    }
}
