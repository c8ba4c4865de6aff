using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using ReputationMonitor.Persistence;
using ReputationMonitor.Api;
using ReputationMonitor.OperatorConsole.Components;
using ReputationMonitor.OperatorConsole.Support;

namespace ReputationMonitor.OperatorConsole;

/// <summary>
/// The operator console at <c>/console</c>: Razor components rendered on the server (static rendering: plain HTML
/// forms, no WebSocket circuit), served by the monitor itself with the API's keys, roles and rate limits.
/// </summary>
public static class ConsoleExtensions
{
    /// <summary>Where the console's stylesheet and script are copied next to the service's binaries.</summary>
    public const string AssetsFolder = "console-assets";

    public static IHostApplicationBuilder AddOperatorConsole(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents();
        // One key ring for every instance, kept in PostgreSQL: sessions and forms survive restarts and load balancers.
        builder.Services.AddDataProtection().SetApplicationName("reputation-monitor");
        builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(
            o => o.XmlRepository = new DataProtectionKeyRing(sp.GetRequiredService<Npgsql.NpgsqlDataSource>)));
        builder.Services.AddSingleton<ConsoleSession>();
        builder.Services.AddSingleton<PipelineHealth>();
        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "monitor_console_csrf";
            o.Cookie.Path = ConsoleSession.PathBase;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.HttpOnly = true;
        });
        return builder;
    }

    public static WebApplication MapOperatorConsole(this WebApplication app)
    {
        app.Use((http, next) =>
        {
            if (ConsoleSession.IsConsole(http.Request))
            {
                // Only the console's own files run or load; no page may frame it (click-jacking), forms post only to it.
                var headers = http.Response.Headers;
                headers.ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
                    "form-action 'self'; frame-ancestors 'none'; base-uri 'self'";
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
            }
            return next(http);
        });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, AssetsFolder)),
            RequestPath = ConsoleSession.PathBase + "/assets",
            OnPrepareResponse = c => c.Context.Response.Headers.CacheControl = "no-cache", // revalidated: a new release shows at once
        });
        app.MapRazorComponents<App>();
        app.MapPost(ConsoleSession.PathBase + "/logout", LogoutEndpoint.LogOut).DisableAntiforgery().ExcludeFromDescription();
        // A download the browser makes itself: it carries the console's session, not an API key header.
        app.MapGet(ConsoleSession.PathBase + "/accounts/{accountId}/suppressions/export", SuppressionTransferApi.Export)
            .RequireAuthorization(Policies.Viewer).ExcludeFromDescription();
        return app;
    }
}
