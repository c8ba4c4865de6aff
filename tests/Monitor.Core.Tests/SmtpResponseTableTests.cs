using ReputationMonitor.Core.Classification;
using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Core.Tests;

/// <summary>The classifier against real-world responses (Data/smtp-responses.tsv), with the provider it names.</summary>
public sealed class SmtpResponseTableTests
{
    public static TheoryData<string, string, string> Responses()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Data", "smtp-responses.tsv")))
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var f = line.Split('\t');
            data.Add(f[0], f[1], f[2]);
        }
        return data;
    }

    [Fact]
    public void The_table_covers_at_least_sixty_responses_and_every_class_but_unknown_is_used()
    {
        var rows = Responses().Select(r => (string)r[1]).ToList();
        Assert.True(rows.Count >= 60, $"only {rows.Count} responses");
        Assert.Empty(SmtpClasses.All.Except(rows).Except([SmtpClasses.Unknown]));
    }

    [Theory]
    [MemberData(nameof(Responses))]
    public void Response_lands_in_its_class_with_its_provider(string response, string expectedClass, string expectedProvider)
    {
        var c = SmtpResponseClassifier.Default.Classify(response);
        Assert.True(expectedClass == c.Class, $"'{response}' → {c.Class} by {c.RuleId}, expected {expectedClass}");
        Assert.False(string.IsNullOrWhiteSpace(c.Explanation));
        if (expectedProvider == "-") return;
        var provider = c.Provider ?? (ProviderDirectory.Default.FromSignature(response) is { } p ? Providers.Name(p) : null);
        Assert.Equal(expectedProvider, provider);
    }
}
