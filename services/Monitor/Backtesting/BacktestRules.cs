using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using ReputationMonitor.Engine;

namespace ReputationMonitor.Backtesting;

/// <summary>
/// The two rule sets of a backtest. The rules in force are the <c>Reputation</c> section as <c>monitor run</c> reads it
/// (appsettings.json and the environment), or a file with that section; the candidate is JSON laid over them — a whole
/// section or just the keys it changes, with or without the <c>Reputation</c> wrapper. Both are validated as the service
/// validates its configuration, and a key the options do not have is refused (a typo must not pass as "no change").
/// </summary>
public static class BacktestRules
{
    public static IConfiguration InForceConfiguration(FileInfo? file)
    {
        var builder = new ConfigurationBuilder();
        if (file is not null) return builder.AddJsonStream(Wrapped(Read(file))).Build();
        return builder.SetBasePath(AppContext.BaseDirectory).AddJsonFile("appsettings.json", optional: true).AddEnvironmentVariables().Build();
    }

    /// <summary>The <c>Reputation</c> section of a configuration as a file <see cref="InForceConfiguration"/> reads back.</summary>
    public static JsonObject Section(IConfiguration configuration)
    {
        var section = new JsonObject();
        foreach (var (key, value) in configuration.GetSection(ReputationOptions.Section).AsEnumerable(makePathsRelative: true))
            if (value is not null) section[key] = value; // "Thresholds:BounceReview": the JSON provider reads a ':' as nesting
        return new JsonObject { [ReputationOptions.Section] = section };
    }

    /// <exception cref="InvalidDataException">The file is not a JSON object.</exception>
    public static JsonObject Read(FileInfo file)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(file.FullName)) as JsonObject ?? throw new InvalidDataException($"{file.Name}: not a JSON object");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new InvalidDataException($"{file.Name}: {e.Message}", e);
        }
    }

    /// <returns>The options, or the errors naming each key.</returns>
    public static (ReputationOptions? Options, IReadOnlyList<string> Errors) Load(IConfiguration inForce, JsonObject? candidate)
    {
        var builder = new ConfigurationBuilder().AddConfiguration(inForce);
        if (candidate is not null) builder.AddJsonStream(Wrapped(candidate));
        var options = new ReputationOptions();
        try
        {
            builder.Build().GetSection(ReputationOptions.Section).Bind(options, o => o.ErrorOnUnknownConfiguration = candidate is not null);
        }
        catch (InvalidOperationException e)
        {
            return (null, [e.InnerException?.Message ?? e.Message]);
        }
        var errors = new List<ValidationResult>();
        return Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true)
            ? (options, [])
            : (null, errors.Select(e => e.ErrorMessage ?? string.Join(", ", e.MemberNames)).ToList());
    }

    /// <summary>The JSON as <c>{"Reputation": {...}}</c>, whichever way it was written.</summary>
    private static MemoryStream Wrapped(JsonObject root)
    {
        var wrapped = root.ContainsKey(ReputationOptions.Section) ? root : new JsonObject { [ReputationOptions.Section] = root.DeepClone() };
        return new MemoryStream(System.Text.Encoding.UTF8.GetBytes(wrapped.ToJsonString()));
    }
}
