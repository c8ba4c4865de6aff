using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Primitives;
using ReputationMonitor.Engine;

namespace ReputationMonitor.Hosting;

public static class RuleReloading
{
    /// <summary>
    /// Follows changes of the configuration's <c>Reputation</c> section (appsettings.json is watched): a valid edit replaces
    /// the rules in force; an invalid one is named in the log and ignored. Deliberately not through IOptionsMonitor: its
    /// change callback re-validates and throws on an invalid edit, on the configuration watcher's thread.
    /// </summary>
    public static IDisposable Follow(this RuleBook book, IConfiguration configuration, ILogger logger) =>
        ChangeToken.OnChange(configuration.GetReloadToken, () =>
        {
            var options = new ReputationOptions();
            configuration.GetSection(ReputationOptions.Section).Bind(options);
            var errors = new List<ValidationResult>();
            if (!Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true))
            {
                logger.LogError("Reputation rules not reloaded, the previous ones stay in force: {Errors}",
                    string.Join("; ", errors.Select(e => e.ErrorMessage)));
                return;
            }
            book.Replace(RuleSet.From(options));
            logger.LogInformation("Reputation rules reloaded (version {Version})", book.Current.Version);
        });
}
