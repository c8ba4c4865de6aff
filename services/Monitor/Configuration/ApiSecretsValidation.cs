using Microsoft.Extensions.Options;

namespace ReputationMonitor.Configuration;

/// <summary>
/// Secrets that must be strong outside development, checked at start-up with the key named: the command signing key
/// (required unless the embedded development broker runs, since a deployment's instances must share it) and the API keys
/// taken from the environment.
/// </summary>
public sealed class ApiSecretsValidation(IConfiguration configuration, IHostEnvironment environment) : IValidateOptions<ApiOptions>
{
    public const int MinApiKeyLength = 16;

    public static readonly IReadOnlyList<string> KeyVariables = ["MONITOR_API_KEY_ADMIN", "MONITOR_API_KEY_OPERATOR", "MONITOR_API_KEY_VIEWER"];

    /// <summary>The embedded broker (no Kafka configured) or the Development environment: a secret may be generated for the run.</summary>
    public static bool IsDevelopment(IConfiguration configuration, IHostEnvironment environment) =>
        string.IsNullOrWhiteSpace(configuration[$"{KafkaOptions.Section}:BootstrapServers"]) || environment.IsDevelopment();

    public ValidateOptionsResult Validate(string? name, ApiOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrEmpty(options.CommandSigningKey) && !IsDevelopment(configuration, environment))
            failures.Add($"Api:CommandSigningKey is required with an external Kafka (Kafka:BootstrapServers is set): the same secret of at least " +
                         $"{Core.Rules.CommandSignature.MinKeyLength} characters on every instance");
        foreach (var variable in KeyVariables)
            if (configuration[variable] is { Length: > 0 and < MinApiKeyLength })
                failures.Add($"{variable} must be at least {MinApiKeyLength} characters");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
