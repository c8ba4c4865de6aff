using System.ComponentModel.DataAnnotations;

namespace ReputationMonitor.Configuration;

public sealed class ApiOptions : IValidatableObject
{
    public const string Section = "Api";

    [Required]
    public string Url { get; set; } = "http://127.0.0.1:8080";

    /// <summary>
    /// Where Prometheus scrapes <c>/metrics</c> without a key (e.g. <c>http://0.0.0.0:9464</c>, a port kept inside
    /// the deployment's network). Unset: <c>/metrics</c> is on the API address and needs a viewer key.
    /// </summary>
    public string? MetricsUrl { get; set; }

    /// <summary>Requests per minute allowed to each API key (anonymous callers: per client address) on /v1.</summary>
    [Range(1, 1_000_000)]
    public int PermitsPerMinute { get; set; } = 1200;

    /// <summary>Requests per minute allowed to each client address on the paths that need no key (health, reference, metrics port).</summary>
    [Range(1, 1_000_000)]
    public int AnonymousPermitsPerMinute { get; set; } = 600;

    /// <summary>
    /// The HMAC key the API signs operator commands with and the stream verifies them with: the same on every instance,
    /// at least <see cref="Core.Rules.CommandSignature.MinKeyLength"/> characters. Required with an external Kafka; with
    /// the embedded development broker one is generated for the run when unset.
    /// </summary>
    public string? CommandSigningKey { get; set; }

    /// <summary>API keys. <c>MONITOR_API_KEY_OPERATOR</c> and <c>MONITOR_API_KEY_VIEWER</c> each add one.</summary>
    public List<ApiKeyEntry> Keys { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        if (!Uri.TryCreate(Url, UriKind.Absolute, out _))
            yield return new ValidationResult($"Api:Url '{Url}' is not an absolute URL", ["Api:Url"]);
        if (MetricsUrl is { Length: > 0 } m && (!Uri.TryCreate(m, UriKind.Absolute, out var metrics) || metrics.Port <= 0 ||
                                                 (Uri.TryCreate(Url, UriKind.Absolute, out var api) && api.Port == metrics.Port)))
            yield return new ValidationResult($"Api:MetricsUrl '{m}' must be an absolute URL with its own port (not the API's)", ["Api:MetricsUrl"]);
        if (CommandSigningKey is { } signing && signing.Length < Core.Rules.CommandSignature.MinKeyLength)
            yield return new ValidationResult($"Api:CommandSigningKey must be at least {Core.Rules.CommandSignature.MinKeyLength} characters",
                ["Api:CommandSigningKey"]);
        for (var i = 0; i < Keys.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(Keys[i].Key) || Keys[i].Key.Length < 16)
                yield return new ValidationResult($"Api:Keys:{i}:Key must be at least 16 characters", [$"Api:Keys:{i}:Key"]);
            if (!Roles.All.Contains(Keys[i].Role))
                yield return new ValidationResult($"Api:Keys:{i}:Role must be one of {string.Join(", ", Roles.All)}", [$"Api:Keys:{i}:Role"]);
        }
    }
}

public sealed class ApiKeyEntry
{
    public string Key { get; set; } = "";
    public string Role { get; set; } = Roles.Viewer;
    public string? Name { get; set; }
}

public static class Roles
{
    public const string Viewer = "viewer", Operator = "operator", Admin = "admin";
    public static readonly IReadOnlySet<string> All = new HashSet<string> { Viewer, Operator, Admin };
}
